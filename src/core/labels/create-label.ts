import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import { labelCreated, labelEventPayload } from './labels.events.js';
import { labels, type LabelRow } from './labels.tables.js';

export interface CreateLabelInput {
  accountId: number;
  name: string;
  color?: string | null | undefined;
  description?: string | null | undefined;
  actor: Actor | undefined;
}

const invalid = (path: string, message: string) =>
  new DomainError('VALIDATION_FAILED', message, [{ path, message }]);

/** Adds a tag to the catalogue, Active; a name already taken (whatever its case) is a conflict. */
export async function createLabel(tx: Db, input: CreateLabelInput): Promise<LabelRow> {
  const name = input.name.trim();
  if (name === '') throw invalid('name', 'must not be blank');
  const [row] = await tx
    .insert(labels)
    .values({
      accountId: input.accountId,
      name,
      color: input.color ?? null,
      description: input.description ?? null,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) throw new DomainError('CONFLICT', `A tag named "${name}" already exists`);
  await recordEvent(tx, labelCreated, {
    accountId: row.accountId,
    aggregateId: row.id,
    payload: labelEventPayload(row),
    actor: input.actor,
  });
  return row;
}
