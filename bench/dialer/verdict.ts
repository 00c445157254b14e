/**
 * What the bench reports, read back from the database after the day (not from the engine's
 * memory): activity figures per mode, and the compliance rules checked against `dialer_attempts`
 * and `dialer_decisions` — no call outside the calling windows, none within 72 hours of the
 * contact's previous attempt unless that dial was a callback, none to a do-not-call number, and
 * a recorded decision for every dial.
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../src/platform/db/database.js';
import type { CarrierSimulator } from '../../src/core/telephony/carrier-simulator.js';
import type { SeededCampaign } from './seed.js';

export interface ModeFigures {
  placed: number;
  callsPerHour: number;
  /** Answered by a person (or an undetected machine): connected or abandoned. */
  answered: number;
  abandoned: number;
  abandonRate: number;
  /** Connected time per agent per open hour (the engine's view: includes undetected machine greetings). */
  talkMinutesPerAgentHour: number;
  /** The same, persons only (the carrier's view). */
  personTalkMinutesPerAgentHour: number;
  wrapupMinutesPerAgentHour: number;
  /** Share of agent time within the window not on a call nor in wrap-up. */
  idleShare: number;
  idleMinutesPerAgentHour: number;
  outcomes: Record<string, number>;
  callbacksDialled: number;
}

export interface Compliance {
  outsideWindow: number;
  within72hWithoutCallback: number;
  doNotCall: number;
  dialsWithoutDecision: number;
  /** Seeded contacts dialled the day before without a callback request (must stay 0 dials). */
  trappedContactsDialled: number;
}

interface FigureRow extends Record<string, unknown> {
  placed: string | number;
  answered: string | number;
  abandoned: string | number;
  connected_seconds: string | number | null;
  wrap_seconds: string | number | null;
}

export async function measure(
  db: Db,
  seeded: SeededCampaign,
  carrier: CarrierSimulator,
  window: { openAt: Date; closeAt: Date; agents: number },
): Promise<ModeFigures> {
  const open = window.openAt.toISOString();
  const close = window.closeAt.toISOString();
  const clip = (from: ReturnType<typeof sql.raw>, to: ReturnType<typeof sql.raw>) =>
    sql`greatest(0, extract(epoch FROM least(${to}, ${close}::timestamptz) - greatest(${from}, ${open}::timestamptz)))`;
  const [row] = await queryRows<FigureRow>(
    db,
    sql`SELECT count(*) AS placed,
               count(*) FILTER (WHERE outcome IN ('answered', 'abandoned')) AS answered,
               count(*) FILTER (WHERE outcome = 'abandoned') AS abandoned,
               sum(${clip(sql.raw('connected_at'), sql.raw('ended_at'))}) FILTER (WHERE connected_at IS NOT NULL) AS connected_seconds,
               sum(${clip(sql.raw('ended_at'), sql.raw('wrapped_up_at'))}) FILTER (WHERE wrapped_up_at IS NOT NULL) AS wrap_seconds
        FROM dialer_attempts
        WHERE account_id = ${seeded.accountId} AND campaign_id = ${seeded.campaignId} AND placed_at >= ${open}::timestamptz`,
  );
  const outcomes = await queryRows<{ outcome: string | null; count: string | number }>(
    db,
    sql`SELECT coalesce(outcome, 'live') AS outcome, count(*) AS count FROM dialer_attempts
        WHERE account_id = ${seeded.accountId} AND campaign_id = ${seeded.campaignId} AND placed_at >= ${open}::timestamptz
        GROUP BY 1 ORDER BY 1`,
  );
  const [callbacks] = await queryRows<{ count: string | number }>(
    db,
    sql`SELECT count(*) AS count FROM dialer_decisions
        WHERE account_id = ${seeded.accountId} AND campaign_id = ${seeded.campaignId} AND kind = 'dial'
          AND (details ->> 'isCallback')::boolean IS TRUE`,
  );
  const hours = (window.closeAt.getTime() - window.openAt.getTime()) / 3_600_000;
  const agentSeconds = window.agents * hours * 3600;
  const connected = Number(row?.connected_seconds ?? 0);
  const wrap = Number(row?.wrap_seconds ?? 0);
  const perAgentHour = (seconds: number) => seconds / 60 / (window.agents * hours);
  const answered = Number(row?.answered ?? 0);
  const abandoned = Number(row?.abandoned ?? 0);
  const placed = Number(row?.placed ?? 0);
  const idle = Math.max(0, agentSeconds - connected - wrap);
  return {
    placed,
    callsPerHour: placed / hours,
    answered,
    abandoned,
    abandonRate: answered > 0 ? abandoned / answered : 0,
    talkMinutesPerAgentHour: perAgentHour(connected),
    personTalkMinutesPerAgentHour: perAgentHour(personTalkSeconds(carrier, window.openAt, window.closeAt)),
    wrapupMinutesPerAgentHour: perAgentHour(wrap),
    idleShare: agentSeconds > 0 ? idle / agentSeconds : 0,
    idleMinutesPerAgentHour: perAgentHour(idle),
    outcomes: Object.fromEntries(outcomes.map((entry) => [entry.outcome ?? 'live', Number(entry.count)])),
    callbacksDialled: Number(callbacks?.count ?? 0),
  };
}

function personTalkSeconds(carrier: CarrierSimulator, openAt: Date, closeAt: Date): number {
  let total = 0;
  for (const call of carrier.allCalls()) {
    if (call.outcome !== 'answer' || call.connectedAt === undefined) continue;
    const from = Math.max(call.connectedAt.getTime(), openAt.getTime());
    const to = Math.min((call.endedAt ?? closeAt).getTime(), closeAt.getTime());
    total += Math.max(0, to - from) / 1000;
  }
  return total;
}

interface CountRow extends Record<string, unknown> {
  count: string | number;
}

async function count(db: Db, query: ReturnType<typeof sql>): Promise<number> {
  const [row] = await queryRows<CountRow>(db, query);
  return Number(row?.count ?? 0);
}

/**
 * The compliance rules, each an independent SQL audit over what the engine wrote (every attempt of
 * the campaign, the seeded history included); `since` is when the simulated day began.
 */
export async function audit(db: Db, seeded: SeededCampaign, since: Date): Promise<Compliance> {
  const scope = sql`a.account_id = ${seeded.accountId} AND a.campaign_id = ${seeded.campaignId}`;
  // The window check reads the campaign's own windows and zone, not the engine's SQL helper.
  const local = sql`(a.placed_at AT TIME ZONE c.timezone)`;
  const outsideWindow = await count(
    db,
    sql`SELECT count(*) AS count
        FROM dialer_attempts a JOIN campaigns c ON c.id = a.campaign_id
        WHERE ${scope} AND NOT EXISTS (
          SELECT 1 FROM jsonb_array_elements(
            coalesce(c.calling_windows -> extract(isodow FROM ${local})::int::text, '[]'::jsonb)) AS w(slot)
          WHERE ${local}::time >= (w.slot ->> 'start')::time AND ${local}::time < (w.slot ->> 'end')::time)`,
  );
  const within72h = await count(
    db,
    sql`SELECT count(*) AS count FROM (
          SELECT a.id, a.placed_at,
                 lag(a.placed_at) OVER (PARTITION BY a.campaign_contact_id ORDER BY a.placed_at, a.id) AS previous_at
          FROM dialer_attempts a WHERE ${scope}) AS x
        WHERE x.previous_at IS NOT NULL AND x.placed_at < x.previous_at + interval '72 hours'
          AND NOT EXISTS (SELECT 1 FROM dialer_decisions d
                          WHERE d.attempt_id = x.id AND d.kind = 'dial'
                            AND (d.details ->> 'isCallback')::boolean IS TRUE)`,
  );
  const doNotCall = await count(
    db,
    sql`SELECT count(*) AS count FROM dialer_attempts a
        JOIN do_not_call_numbers n ON n.account_id = a.account_id AND n.phone_number = a.phone_number
        WHERE ${scope}`,
  );
  const dialsWithoutDecision = await count(
    db,
    sql`SELECT count(*) AS count FROM dialer_attempts a
        WHERE ${scope} AND a.placed_at >= ${since.toISOString()}::timestamptz
          AND NOT EXISTS (SELECT 1 FROM dialer_decisions d WHERE d.attempt_id = a.id AND d.kind = 'dial')`,
  );
  const trappedContactsDialled = await count(
    db,
    sql`SELECT count(*) AS count FROM dialer_attempts a
        JOIN campaign_contacts cc ON cc.id = a.campaign_contact_id
        WHERE ${scope} AND cc.contact_number % 50 = 0 AND cc.contact_number % 100 <> 0
          AND a.placed_at >= ${since.toISOString()}::timestamptz`,
  );
  return {
    outsideWindow,
    within72hWithoutCallback: within72h,
    doNotCall,
    dialsWithoutDecision,
    trappedContactsDialled,
  };
}
