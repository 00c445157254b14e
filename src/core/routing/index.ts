/** The routing core's public surface: queues, members, usages, offers, claim, transfer, reopen. */
export {
  createQueue,
  findQueue,
  getQueue,
  getQueueById,
  listQueues,
  addQueueMembers,
  removeQueueMembers,
  listQueueMembers,
  setQueueUsages,
  listQueueUsages,
  resolveQueueForInbox,
  queueRefOf,
  type QueueSettings,
} from './queues.js';
export { claimConversation } from './claim-conversation.js';
export { transferConversationToQueue } from './transfer-conversation.js';
export { reopenConversationInQueue } from './reopen-conversation.js';
export { acceptOffer, declineOffer } from './offers.js';
export { setAgentCapacity, DEFAULT_CHAT_CAPACITY, DEFAULT_CAPACITY } from './eligibility.js';
export { findAgentIdsByUuid, findAgentUuids } from './routing-agents.js';
export {
  offeringAlgorithms,
  memberListTypes,
  type OfferingAlgorithm,
  type MemberListType,
  type QueueRow,
  type QueueMemberRow,
} from './routing.tables.js';
export * from './routing.events.js';
