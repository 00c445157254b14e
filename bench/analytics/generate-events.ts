import { randomUUID } from 'node:crypto';
import type { ReportingEventInput } from '../../src/core/analytics/index.js';

/**
 * Synthetic reporting history: conversations that are created, queued, offered, assigned, answered
 * and closed (some rated), or abandoned, spread over the last DAYS days, each account with its own
 * agents and queues. A seeded generator, so runs compare.
 */
export interface BenchAccount {
  accountId: number;
  agentIds: number[];
  queues: { id: number; uuid: string; name: string }[];
}

const CHANNELS = ['EMAIL', 'WIDGET_CHAT', 'PSTN_PHONE', 'SMS', 'WHATS_APP', 'CONTACT_FORM'] as const;
export const DAYS = 400;

function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

export function benchQueues(count: number, firstId: number) {
  return Array.from({ length: count }, (_, index) => ({
    id: firstId + index,
    uuid: randomUUID(),
    name: `Queue ${index + 1}`,
  }));
}

/** Yields chunks of about `chunkSize` events for one account, in time order, until `total`. */
export function* conversationEvents(
  account: BenchAccount,
  total: number,
  options: { chunkSize: number; seed: number; firstSourceId: number; now: Date },
): Generator<ReportingEventInput[]> {
  const random = lcg(options.seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
  const start = options.now.getTime() - DAYS * 86_400_000;
  const conversations = Math.ceil(total / 6.2);
  const step = (DAYS * 86_400_000) / conversations;
  let sourceId = options.firstSourceId;
  let emitted = 0;
  let chunk: ReportingEventInput[] = [];
  for (let index = 0; emitted < total; index += 1) {
    const createdAt = start + index * step + random() * step;
    const channel = pick(CHANNELS);
    const queue = pick(account.queues);
    const agentId = pick(account.agentIds);
    const base = {
      accountId: account.accountId,
      conversationId: account.accountId * 10_000_000 + index,
      conversationDisplayId: index + 1,
      channel,
      direction: random() < 0.85 ? ('INBOUND' as const) : ('OUTBOUND' as const),
      queueId: queue.id,
      agentId: null,
      agentIds: [],
      durationMs: null,
      handlingMs: null,
      score: null,
      isPositive: null,
    };
    const event = (
      type: ReportingEventInput['type'],
      at: number,
      fields: Partial<ReportingEventInput> = {},
    ) => {
      chunk.push({
        ...base,
        sourceEventId: sourceId++,
        type,
        occurredAt: new Date(Math.round(at)),
        ...fields,
      });
      emitted += 1;
    };
    event('created', createdAt, { queueId: null });
    const enqueuedAt = createdAt + 5_000;
    event('enqueued', enqueuedAt, { queue });
    event('offered', enqueuedAt + 1_000, { agentIds: [agentId, pick(account.agentIds)] });
    const wait = Math.round(random() * 600_000);
    if (random() < 0.1) {
      event('abandoned', enqueuedAt + wait, { durationMs: wait });
    } else {
      const assignedAt = enqueuedAt + wait;
      event('assigned', assignedAt, { agentId, durationMs: wait });
      const firstResponseAt = assignedAt + random() * 900_000;
      event('first_response', firstResponseAt, {
        agentId,
        durationMs: Math.round(firstResponseAt - createdAt),
      });
      const closedAt = firstResponseAt + random() * 7_200_000;
      event('closed', closedAt, {
        agentId,
        durationMs: Math.round(closedAt - createdAt),
        handlingMs: Math.round(closedAt - assignedAt),
      });
      if (random() < 0.3) {
        const score = 1 + Math.floor(random() * 5);
        event('rated', closedAt + 60_000, { agentId, score, isPositive: score >= 4 });
      }
    }
    if (chunk.length >= options.chunkSize) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}
