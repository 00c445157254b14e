import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { contactFilterWhere } from '../filters/contact-filter.js';
import { conversationFilterWhere } from '../filters/conversation-filter.js';
import { loadCustomAttributeTypes } from '../filters/custom-attribute-filter.js';
import { filterPayloadSchema } from '../filters/filter-payload.js';
import type { CustomFilterType } from './custom-filters.tables.js';

/**
 * A saved contact or conversation query must be one the filter endpoint would run: same
 * schema, known attributes, operators that fit them. Report filters are stored as given.
 */
export async function assertValidFilterQuery(
  db: Db,
  accountId: number,
  filterType: CustomFilterType,
  query: Record<string, unknown>,
): Promise<void> {
  if (filterType === 'report') return;
  const parsed = filterPayloadSchema.safeParse(query);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = ['query', ...(issue?.path ?? []).map(String)].join('.');
    throw new DomainError(
      'VALIDATION_FAILED',
      `Invalid filter query: ${path} ${issue?.message ?? 'is invalid'}`,
      [{ path, message: issue?.message ?? 'is invalid' }],
    );
  }
  const types = await loadCustomAttributeTypes(db, accountId, filterType);
  if (filterType === 'contact') contactFilterWhere(accountId, parsed.data, types);
  else conversationFilterWhere(accountId, parsed.data, types);
}
