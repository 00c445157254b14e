/** The tag catalogue (Chatwoot labels, Dixa tags) and tagging conversations. */
export { labels, labelStates, type LabelRow, type LabelState } from './labels.tables.js';
export { createLabel, type CreateLabelInput } from './create-label.js';
export { listLabels, findLabelByUuid, getLabelByUuid, listLabelsByNames } from './labels.js';
export { setLabelState } from './set-label-state.js';
export { updateLabel, type UpdateLabelInput } from './update-label.js';
export { tagConversation, untagConversation, type TagConversationInput } from './tag-conversation.js';
export { ensureLabels } from './ensure-labels.js';
