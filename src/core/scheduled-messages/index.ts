export { createScheduledMessage, type CreateScheduledMessageInput } from './create-scheduled-message.js';
export {
  deleteScheduledMessage,
  updateScheduledMessage,
  type ChangedScheduledMessage,
  type ScheduledMessageKey,
} from './change-scheduled-message.js';
export {
  listScheduledMessages,
  loadScheduledMessageAuthors,
  type ScheduledMessageAuthor,
} from './list-scheduled-messages.js';
export type { ScheduledMessageFields } from './scheduled-message-rules.js';
export { echoIdOf, sendScheduledMessageJob } from './send-scheduled-message.job.js';
export {
  scheduledMessageStatuses,
  type ScheduledAttachment,
  type ScheduledMessageRow,
  type ScheduledMessageStatus,
} from './scheduled-messages.tables.js';
