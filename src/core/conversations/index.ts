/** The inbox core's public surface: conversations, messages, assignment. */
export { createConversation, type CreateConversationInput } from './create-conversation.js';
export {
  findConversationByDisplayId,
  getConversation,
  getConversationByDisplayId,
  lockConversation,
  updateLastSeen,
} from './conversations.js';
export { loadConversationSnapshots, snapshotOfRow, contactSnapshotOf } from './conversation-snapshots.js';
export { loadMessageSnapshots, messageSnapshotOf } from './message-snapshots.js';
export {
  toggleConversationStatus,
  setConversationPriority,
  setConversationLabels,
  setConversationCustomAttributes,
} from './update-conversation.js';
export { assignConversation, type AssignConversationInput } from './assign-conversation.js';
export { pickAutoAssignee } from './auto-assignment.js';
export { createMessage, type CreateMessageInput, type CreatedMessage } from './create-message.js';
export {
  listMessages,
  getMessage,
  updateMessage,
  deleteMessage,
  MESSAGES_PER_PAGE,
  DELETED_MESSAGE_CONTENT,
} from './messages.js';
export { storeAttachment, fileTypeOf, type AttachmentInput } from './attachments.js';
export {
  listConversations,
  countConversations,
  loadLastMessages,
  CONVERSATIONS_PER_PAGE,
  type AssigneeType,
  type ConversationListFilters,
  type ConversationCounts,
} from './list-conversations.js';
export { reopenSnoozedConversationJob, scheduleSnoozeEnd } from './snooze.jobs.js';
export { loadConversationViews, loadConversationView, type ConversationView } from './conversation-views.js';
