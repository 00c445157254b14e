/** The conversation activity log: written from domain events, read per conversation or organization. */
export { activityTypes, type ActivityType } from './activity-types.js';
export {
  listConversationActivity,
  listAccountActivity,
  type ActivityCursor,
  type ActivityPage,
  type ListAccountActivityInput,
} from './list-activity-log.js';
export type { ActivityEntry, ActivityDetails, ActivityPerson } from './resolve-activity.js';
export { createActivityLogConsumer } from './activity-log-consumer.js';
