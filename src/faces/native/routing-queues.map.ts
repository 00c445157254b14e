import { z } from 'zod';
import { offeringAlgorithms, type QueueRow } from '../../core/routing/index.js';
import type { QueueLiveStats } from '../../core/routing/queue-live-stats.js';
import type { Agent } from '../../core/identity/agents.js';
import { iso, isoDate } from './schemas.js';

/*
 * Bounds follow the Dixa face's queue input, so a queue made there can be saved here unchanged:
 * one row, two faces.
 */
const int32 = z.number().int().min(-2147483648).max(2147483647);
const seconds = z.number().int().min(0).max(2147483647);

const settings = {
  name: z.string().trim().min(1).max(255),
  offeringAlgorithm: z.enum(offeringAlgorithms),
  offerTimeout: z.number().int().min(1).max(86_400).describe('Seconds an offer stays open'),
  wrapupTimeout: seconds.describe('Seconds of wrap-up after a conversation of the queue'),
  priority: int32.describe('Lower is served first when an agent could serve several queues'),
};

export const createQueueInput = z.strictObject({
  name: settings.name,
  offeringAlgorithm: settings.offeringAlgorithm.optional().describe('AllAtOnce when absent'),
  offerTimeout: settings.offerTimeout.optional().describe('30 s when absent'),
  wrapupTimeout: settings.wrapupTimeout.optional(),
  priority: settings.priority.optional(),
  isDefault: z
    .boolean()
    .default(false)
    .describe('The queue of inboxes that feed no other; it takes the flag from the previous default'),
});

/** Only the fields given change; null clears the wrap-up timeout or the priority. */
export const updateQueueInput = z
  .strictObject({
    name: settings.name.optional(),
    offeringAlgorithm: settings.offeringAlgorithm.optional(),
    offerTimeout: settings.offerTimeout.optional(),
    wrapupTimeout: settings.wrapupTimeout.nullable().optional(),
    priority: settings.priority.nullable().optional(),
  })
  .refine((input) => Object.keys(input).length > 0, {
    message: 'Give at least one setting to change',
  });

export const queueLiveSchema = z.object({
  waiting: z.number().describe('Conversations waiting for an offer'),
  offered: z.number().describe('Conversations offered to agents right now'),
  longestWaitSeconds: z.number().describe('Wait of the oldest waiting or offered conversation'),
  members: z.number(),
  membersOnline: z.number().describe('Members connected (Working or Away)'),
  membersWorking: z.number().describe('Members Working: the ones routing offers to'),
});

export const queueSchema = z.object({
  id: z.number(),
  uuid: z.string(),
  name: z.string(),
  isDefault: z.boolean(),
  offeringAlgorithm: z.enum(offeringAlgorithms),
  offerTimeout: z.number(),
  wrapupTimeout: z.number().nullable(),
  priority: z.number().nullable(),
  slaTimeLimit: z.number().nullable().describe('SLA threshold in seconds (queueThresholds.SlaTimeLimit)'),
  thresholds: z.record(z.string(), z.number()),
  live: queueLiveSchema,
  createdAt: isoDate,
  updatedAt: isoDate,
});

const noLive: z.infer<typeof queueLiveSchema> = {
  waiting: 0,
  offered: 0,
  longestWaitSeconds: 0,
  members: 0,
  membersOnline: 0,
  membersWorking: 0,
};

function liveOf(live: QueueLiveStats | undefined): z.infer<typeof queueLiveSchema> {
  if (!live) return noLive;
  const { waiting, offered, longestWaitSeconds, members, membersOnline, membersWorking } = live;
  return { waiting, offered, longestWaitSeconds, members, membersOnline, membersWorking };
}

export function toQueueDto(queue: QueueRow, live: QueueLiveStats | undefined): z.infer<typeof queueSchema> {
  return {
    id: queue.id,
    uuid: queue.uuid,
    name: queue.name,
    isDefault: queue.isDefault,
    offeringAlgorithm: queue.offeringAlgorithm,
    offerTimeout: queue.offerTimeout,
    wrapupTimeout: queue.wrapupTimeout,
    priority: queue.priority,
    slaTimeLimit: queue.queueThresholds.SlaTimeLimit ?? null,
    thresholds: queue.queueThresholds,
    live: liveOf(live),
    createdAt: iso(queue.createdAt),
    updatedAt: iso(queue.updatedAt),
  };
}

/** Dixa's words for presence: connected or not, and Working (online) or Away (busy) while connected. */
export const connectionStatus = z.enum(['Online', 'Offline']);
export const presenceStatus = z.enum(['Working', 'Away']);

export function presenceOf(availability: Agent['availability']) {
  if (availability === 'offline') return { connectionStatus: 'Offline' as const, presenceStatus: null };
  return {
    connectionStatus: 'Online' as const,
    presenceStatus: availability === 'online' ? ('Working' as const) : ('Away' as const),
  };
}

export const queueMemberSchema = z.object({
  userId: z.number(),
  name: z.string(),
  displayName: z.string().nullable(),
  email: z.string(),
  role: z.enum(['administrator', 'agent']),
  priority: z.number().describe('Tier for the AgentPriority algorithms; lower is offered first'),
  connectionStatus,
  presenceStatus: presenceStatus.nullable(),
});

export function toQueueMemberDto(agent: Agent, priority: number): z.infer<typeof queueMemberSchema> {
  return {
    userId: agent.userId,
    name: agent.name,
    displayName: agent.displayName,
    email: agent.email,
    role: agent.role,
    priority,
    ...presenceOf(agent.availability),
  };
}
