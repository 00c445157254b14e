export {
  filterPayloadSchema,
  filterOperators,
  type FilterPayload,
  type FilterCondition,
} from './filter-payload.js';
export { contactFilterWhere, contactFilterAttributes } from './contact-filter.js';
export {
  conversationFilterWhere,
  conversationFilterAttributes,
  talliedConversationFilters,
} from './conversation-filter.js';
export { loadCustomAttributeTypes, type CustomAttributeTypes } from './custom-attribute-filter.js';
