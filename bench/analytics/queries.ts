import { metricCatalog, periodPresets, type PeriodSpec } from '../../src/core/analytics/index.js';
import { DAYS, type BenchAccount } from './generate-events.js';

/** A metric query as a Dixa client sends it, with the tenant that sends it. */
export interface BenchQuery {
  tenant: BenchAccount & { apiKey: string; agentUuids: string[] };
  period: PeriodSpec;
  body: {
    id: string;
    timezone: string;
    periodFilter: Record<string, unknown>;
    filters: { attribute: string; values: string[] }[];
  };
}

const TIMEZONES = ['UTC', 'Europe/Copenhagen', 'America/New_York', 'Asia/Kolkata', 'Australia/Adelaide'];
const CHANNELS = ['EMAIL', 'WIDGET_CHAT', 'PSTN_PHONE'];
const SPANS_HOURS = [1, 24, 24 * 7, 24 * 30, 24 * 90, 24 * 365];

function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

const localStamp = (date: Date) => date.toISOString().slice(0, 19);

/** Half the queries go to the large account; a third use intervals with minutes off the hour. */
export function randomQuery(tenants: BenchQuery['tenant'][], seed: number): BenchQuery {
  const random = lcg(seed * 7919);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
  const tenant = random() < 0.5 ? tenants[0]! : pick(tenants.slice(1));
  const metric = pick(metricCatalog);
  const timezone = pick(TIMEZONES);
  let period: PeriodSpec;
  let periodFilter: Record<string, unknown>;
  if (random() < 0.66) {
    const preset = pick(periodPresets);
    period = { preset };
    periodFilter = { _type: 'Preset', value: { _type: preset } };
  } else {
    const spanHours = pick(SPANS_HOURS);
    const startMs =
      Date.now() - random() * (DAYS * 86_400_000 - spanHours * 3_600_000) - spanHours * 3_600_000;
    const start = new Date(Math.floor(startMs / 60_000) * 60_000);
    const end = new Date(start.getTime() + spanHours * 3_600_000 + 17 * 60_000);
    period = { start: localStamp(start), end: localStamp(end) };
    periodFilter = { _type: 'Interval', ...period };
  }
  const filters: BenchQuery['body']['filters'] = [];
  const shape = random();
  const supports = (attribute: string) => (metric.filters as readonly string[]).includes(attribute);
  const add = (attribute: string, value: string) => {
    if (supports(attribute)) filters.push({ attribute, values: [value] });
  };
  // 30% unfiltered, 45% one dimension, 25% two.
  if ((shape >= 0.3 && shape < 0.5) || shape >= 0.8) add('channel', pick(CHANNELS));
  if ((shape >= 0.5 && shape < 0.65) || (shape >= 0.8 && shape < 0.9))
    add('queue_id', pick(tenant.queues).uuid);
  if ((shape >= 0.65 && shape < 0.8) || shape >= 0.9) add('agent_id', pick(tenant.agentUuids));
  return { tenant, period, body: { id: metric.id, timezone, periodFilter, filters } };
}
