import { z } from 'zod';
import { conversationChannels, dixaChannelOf } from '../../core/conversations/conversation-channels.js';
import type { ChannelType } from '../../core/inboxes/inboxes.tables.js';
import { offeringAlgorithms, type QueueRow } from '../../core/routing/index.js';

export const queueThresholds = [
  'SlaTimeLimit',
  'AvailableAgents',
  'LongestWait',
  'SlaPercentage',
  'WaitingConversations',
] as const;

const int32 = z.number().int().min(-2147483648).max(2147483647);
const seconds = z.number().int().min(0).max(2147483647);
const channelMap = z.partialRecord(z.enum(conversationChannels), seconds);

/** Seed CreateOrUpdateQueueRequest: the input names the algorithm `offerAlgorithm`. */
export const createQueueRequestSchema = z.object({
  name: z.string().trim().min(1).max(255),
  priority: int32.optional(),
  isDefault: z.boolean(),
  offerTimeout: z.number().int().min(1).max(86_400).optional(),
  wrapupTimeout: seconds.optional(),
  offerAlgorithm: z.enum(offeringAlgorithms).optional(),
  queueThresholds: z.partialRecord(z.enum(queueThresholds), int32).optional(),
  callFunctionality: z.boolean(),
  doNotOfferTimeouts: channelMap.optional(),
  isDoNotOfferEnabled: z.boolean(),
  preferredAgentTimeouts: channelMap.optional(),
  isPreferredAgentEnabled: z.boolean().optional(),
  offerAbandonedConversations: z.boolean().optional(),
  personalAgentOfflineTimeout: seconds.optional(),
  preferredAgentOfflineTimeout: seconds.optional(),
});
export const createQueueInputSchema = z.object({ request: createQueueRequestSchema });

/** Seed Queue1 (the output names it `offeringAlgorithm`); optional fields are omitted, never null. */
export const dixaQueueSchema = z.object({
  id: z.string(),
  name: z.string(),
  usages: z.object({ queueId: z.string(), usages: z.record(z.string(), z.array(z.string())) }).optional(),
  priority: z.number().int().optional(),
  isDefault: z.boolean(),
  offerTimeout: z.number().int().optional(),
  wrapupTimeout: z.number().int().optional(),
  memberListType: z.string().optional(),
  organizationId: z.string(),
  queueThresholds: z.record(z.string(), z.number().int()),
  offeringAlgorithm: z.string().optional(),
  doNotOfferTimeouts: z.record(z.string(), z.number().int()),
  isDoNotOfferEnabled: z.boolean(),
  slaCalculationMethod: z.string(),
  preferredAgentTimeouts: z.record(z.string(), z.number().int()).optional(),
  isPreferredAgentEnabled: z.boolean().optional(),
  offerAbandonedConversations: z.boolean().optional(),
  personalAgentOfflineTimeout: z.number().int().optional(),
  preferredAgentOfflineTimeout: z.number().int().optional(),
});
export type DixaQueue = z.infer<typeof dixaQueueSchema>;

export interface QueueUsage {
  queueId: number;
  inboxUuid: string;
  channelType: ChannelType;
}

const present = <TKey extends string, TValue>(key: TKey, value: TValue | null) =>
  (value === null ? {} : { [key]: value }) as Partial<Record<TKey, TValue>>;

/** Usages group the contact endpoints (inbox uuids) feeding the queue by their Dixa channel. */
function usagesOf(queue: QueueRow, usages: QueueUsage[]): DixaQueue['usages'] {
  const byChannel: Record<string, string[]> = {};
  for (const usage of usages) {
    if (usage.queueId !== queue.id) continue;
    const channel = dixaChannelOf({ channelType: usage.channelType });
    (byChannel[channel] ??= []).push(usage.inboxUuid);
  }
  return { queueId: queue.uuid, usages: byChannel };
}

/**
 * Dixa's organizationId is the organization's id; Parley accounts are numbered, so it is the
 * account id as a string (the seed types it as a plain string).
 */
export function toDixaQueue(queue: QueueRow, usages: QueueUsage[]): DixaQueue {
  return {
    id: queue.uuid,
    name: queue.name,
    usages: usagesOf(queue, usages),
    ...present('priority', queue.priority),
    isDefault: queue.isDefault,
    offerTimeout: queue.offerTimeout,
    ...present('wrapupTimeout', queue.wrapupTimeout),
    memberListType: queue.memberListType,
    organizationId: String(queue.accountId),
    queueThresholds: queue.queueThresholds,
    offeringAlgorithm: queue.offeringAlgorithm,
    doNotOfferTimeouts: queue.doNotOfferTimeouts,
    isDoNotOfferEnabled: queue.isDoNotOfferEnabled,
    slaCalculationMethod: queue.slaCalculationMethod,
    ...present('preferredAgentTimeouts', queue.preferredAgentTimeouts),
    ...present('isPreferredAgentEnabled', queue.isPreferredAgentEnabled),
    offerAbandonedConversations: queue.offerAbandonedConversations,
    ...present('personalAgentOfflineTimeout', queue.personalAgentOfflineTimeout),
    ...present('preferredAgentOfflineTimeout', queue.preferredAgentOfflineTimeout),
  };
}

/** Per-item outcome of a bulk queue operation (seed BulkActionOutcome_BulkError_UUID). */
export const bulkOutcomeSchema = z.union([
  z.object({ data: z.string(), _type: z.literal('BulkActionSuccess') }),
  z.object({
    error: z.object({ id: z.string(), message: z.string(), _type: z.string() }),
    _type: z.literal('BulkActionFailure'),
  }),
]);
export type BulkOutcome = z.infer<typeof bulkOutcomeSchema>;

/**
 * `_type` is not in the seed's schemas, but Dixa's public reference shows it on every outcome
 * and error ("BulkActionSuccess", "NotFound"…), and clients discriminate on it.
 */
export const succeeded = (id: string): BulkOutcome => ({ data: id, _type: 'BulkActionSuccess' });
export const failed = (id: string, message: string, type: 'NotFound' | 'Validation'): BulkOutcome => ({
  error: { id, message, _type: type },
  _type: 'BulkActionFailure',
});
