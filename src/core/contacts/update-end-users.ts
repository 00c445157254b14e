import type { Db } from '../../platform/db/database.js';
import { sqlStateOf } from '../../platform/db/database-errors.js';
import { DomainError } from '../../platform/errors.js';
import type { Actor } from '../../platform/events/outbox.js';
import type { EndUserFields } from './end-user-fields.js';
import { updateEndUser, type EndUserOutcome } from './end-users.js';

/**
 * What PostgreSQL refused in one item (a unique value a concurrent writer took, a NUL character):
 * that item's failure, as the single-item routes report it, never the batch's.
 */
function itemFailure(error: unknown): DomainError | null {
  if (error instanceof DomainError) return error;
  const state = sqlStateOf(error);
  if (state === '23505') return new DomainError('CONFLICT', 'Another end user already has this unique value');
  if (state?.startsWith('22')) return new DomainError('VALIDATION_FAILED', 'A value cannot be stored');
  return null;
}

/**
 * Patches or replaces several end users in one transaction, each item in its own savepoint: an
 * item applies entirely or not at all, and a failed item leaves the others applied. Outcomes come
 * back in input order.
 */
export async function updateEndUsers(
  db: Db,
  input: {
    accountId: number;
    items: { uuid: string; fields: EndUserFields }[];
    isReplacement?: boolean | undefined;
    actor?: Actor | undefined;
  },
): Promise<EndUserOutcome[]> {
  return db.transaction(async (tx) => {
    const outcomes: EndUserOutcome[] = [];
    for (const item of input.items) {
      try {
        const row = await tx.transaction((savepoint) =>
          updateEndUser(savepoint, {
            accountId: input.accountId,
            uuid: item.uuid,
            fields: item.fields,
            isReplacement: input.isReplacement,
            actor: input.actor,
          }),
        );
        outcomes.push({ row });
      } catch (error) {
        const failure = itemFailure(error);
        if (!failure) throw error;
        outcomes.push({ error: failure });
      }
    }
    return outcomes;
  });
}
