/**
 * The activity types of a conversation's log, spelled as Dixa's ActivityLogEntry `_type` values
 * (the names of its *ActivityType schemas): the core keeps Dixa's vocabulary here because it is
 * the only product with an activity log, and faces that have none need no translation.
 */
export const activityTypes = [
  'ConversationAssigned',
  'ConversationAutoreplySent',
  'ConversationClaimed',
  'ConversationClosed',
  'ConversationCreatedByAgent',
  'ConversationCreatedByCustomer',
  'ConversationEndUserReplaced',
  'ConversationLanguageUpdated',
  'ConversationOfferAccepted',
  'ConversationOfferRejected',
  'ConversationOfferTimeout',
  'ConversationOffered',
  'ConversationPending',
  'ConversationRated',
  'ConversationRatingCancelled',
  'ConversationRatingOffered',
  'ConversationRatingScheduled',
  'ConversationRatingUnscheduled',
  'ConversationReopened',
  'ConversationReserved',
  'ConversationUnassigned',
  'FollowupAdded',
  'FollowupExpired',
  'FollowupRemoved',
  'MessageAddedByAgent',
  'MessageAddedByCustomer',
  'NoteAdded',
  'TagAdded',
  'TagRemoved',
  'TransferFailed',
  'TransferInitiated',
  'TransferSuccessful',
] as const;
export type ActivityType = (typeof activityTypes)[number];
