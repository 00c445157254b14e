import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import { conversations } from '../conversations/conversations.tables.js';
import { contacts } from '../contacts/contacts.tables.js';
import { labelEventPayload, labelUpdated } from './labels.events.js';
import { labels, type LabelRow } from './labels.tables.js';

export interface UpdateLabelInput {
  accountId: number;
  labelId: number;
  name?: string | undefined;
  /** null clears the colour. */
  color?: string | null | undefined;
  /** null clears the description. */
  description?: string | null | undefined;
  actor: Actor | undefined;
}

/**
 * Replaces `from` (whatever its case) by `to` in a label list column. Written once per rename, as
 * Chatwoot's Labels::UpdateService does, without an event per conversation: the catalogue's
 * `label.updated` says what happened.
 */
function renamed(column: typeof conversations.labels | typeof contacts.labels, from: string, to: string) {
  return sql`array(select case when lower(name) = lower(${from}) then ${to} else name end from unnest(${column}) as name)`;
}

function carries(column: typeof conversations.labels | typeof contacts.labels, name: string) {
  return sql`exists (select 1 from unnest(${column}) as name where lower(name) = lower(${name}))`;
}

/**
 * Changes a catalogue label's title, colour or description. Conversations and contacts carry
 * labels by name, so a new title is written into theirs in the same transaction; a title another
 * label has (whatever its case) is a conflict.
 */
export async function updateLabel(tx: Db, input: UpdateLabelInput): Promise<LabelRow> {
  const [current] = await tx
    .select()
    .from(labels)
    .where(and(eq(labels.accountId, input.accountId), eq(labels.id, input.labelId)))
    .for('update');
  if (!current) throw notFound('Label');
  const name = input.name?.trim();
  if (name === '') {
    throw new DomainError('VALIDATION_FAILED', 'name must not be blank', [
      { path: 'name', message: 'must not be blank' },
    ]);
  }
  const isRenamed = name !== undefined && name !== current.name;
  if (isRenamed) await assertNameFree(tx, input.accountId, name, current.id);
  const [row] = await tx
    .update(labels)
    .set({
      ...(isRenamed && { name }),
      ...(input.color !== undefined && { color: input.color }),
      ...(input.description !== undefined && { description: input.description }),
      updatedAt: sql`now()`,
    })
    .where(and(eq(labels.accountId, input.accountId), eq(labels.id, input.labelId)))
    .returning();
  if (!row) throw notFound('Label');
  if (isRenamed) {
    await tx
      .update(conversations)
      .set({ labels: renamed(conversations.labels, current.name, name) })
      .where(and(eq(conversations.accountId, input.accountId), carries(conversations.labels, current.name)));
    await tx
      .update(contacts)
      .set({ labels: renamed(contacts.labels, current.name, name) })
      .where(and(eq(contacts.accountId, input.accountId), carries(contacts.labels, current.name)));
  }
  await recordEvent(tx, labelUpdated, {
    accountId: row.accountId,
    aggregateId: row.id,
    payload: labelEventPayload(row),
    actor: input.actor,
  });
  return row;
}

async function assertNameFree(tx: Db, accountId: number, name: string, exceptId: number): Promise<void> {
  const [taken] = await tx
    .select({ id: labels.id })
    .from(labels)
    .where(and(eq(labels.accountId, accountId), sql`lower(${labels.name}) = lower(${name})`));
  if (taken && taken.id !== exceptId) {
    throw new DomainError('CONFLICT', `A tag named "${name}" already exists`);
  }
}
