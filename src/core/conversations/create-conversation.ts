import { and, eq, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/database.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import { contactInboxes, contacts } from '../contacts/contacts.tables.js';
import { accountUsers } from '../identity/identity.tables.js';
import { inboxes } from '../inboxes/inboxes.tables.js';
import { teams } from '../teams/teams.tables.js';
import {
  conversations,
  displayIdSequence,
  type ConversationDirection,
  type ConversationRow,
  type ConversationStatus,
} from './conversations.tables.js';
import { conversationCreated } from './conversations.events.js';
import { snapshotOfRow } from './conversation-snapshots.js';
import { pickAutoAssignee } from './auto-assignment.js';
import { scheduleSnoozeEnd } from './snooze.jobs.js';
import { routeNewConversation } from '../routing/conversation-lifecycle.js';
import type { QueueRow } from '../routing/routing.tables.js';

export interface CreateConversationInput {
  accountId: number;
  inboxId: number;
  contactId: number;
  contactInboxId?: number | null;
  status?: ConversationStatus;
  assigneeId?: number | null;
  teamId?: number | null;
  snoozedUntil?: Date | null;
  additionalAttributes?: Record<string, unknown>;
  customAttributes?: Record<string, unknown>;
  /** Who started it; inbound (the contact) unless given. */
  direction?: ConversationDirection;
  subject?: string | null;
  language?: string | null;
  /** A routing queue the caller chose (a callback names one); otherwise routing picks the inbox's. */
  queue?: QueueRow | null;
  actor: Actor;
}

/** The next per-account display id, from the account's sequence (see `displayIdSequence`). */
async function nextDisplayId(tx: Db, accountId: number): Promise<number> {
  const [row] = await queryRows<{ id: string }>(
    tx,
    sql`SELECT nextval(${displayIdSequence(accountId)}::regclass)::text AS id`,
  );
  if (!row) throw new Error('display id sequence returned no row');
  return Number(row.id);
}

const invalid = (path: string, message: string) =>
  new DomainError('VALIDATION_FAILED', message, [{ path, message }]);

async function assertReferences(tx: Db, input: CreateConversationInput) {
  const { accountId } = input;
  const [inbox] = await tx
    .select({ id: inboxes.id, enableAutoAssignment: inboxes.enableAutoAssignment })
    .from(inboxes)
    .where(and(eq(inboxes.accountId, accountId), eq(inboxes.id, input.inboxId)));
  if (!inbox) throw notFound('Inbox');
  const [contact] = await tx
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(eq(contacts.accountId, accountId), eq(contacts.id, input.contactId)));
  if (!contact) throw notFound('Contact');
  if (input.contactInboxId != null) {
    const [contactInbox] = await tx
      .select({ id: contactInboxes.id })
      .from(contactInboxes)
      .where(
        and(
          eq(contactInboxes.accountId, accountId),
          eq(contactInboxes.id, input.contactInboxId),
          eq(contactInboxes.contactId, input.contactId),
          eq(contactInboxes.inboxId, input.inboxId),
        ),
      );
    if (!contactInbox)
      throw invalid('contact_inbox_id', 'The contact inbox does not belong to this contact and inbox');
  }
  if (input.assigneeId != null) {
    const [member] = await tx
      .select({ userId: accountUsers.userId })
      .from(accountUsers)
      .where(and(eq(accountUsers.accountId, accountId), eq(accountUsers.userId, input.assigneeId)));
    if (!member) throw invalid('assignee_id', 'The assignee is not an agent of this account');
  }
  if (input.teamId != null) {
    const [team] = await tx
      .select({ id: teams.id })
      .from(teams)
      .where(and(eq(teams.accountId, accountId), eq(teams.id, input.teamId)));
    if (!team) throw invalid('team_id', 'The team does not exist in this account');
  }
  return inbox;
}

/**
 * Opens a conversation: numbers it, auto-assigns it when the inbox asks for that and nobody was
 * named, schedules the end of a snooze, and records conversation.created — in the caller's transaction.
 */
export async function createConversation(tx: Db, input: CreateConversationInput): Promise<ConversationRow> {
  const inbox = await assertReferences(tx, input);
  const status = input.status ?? 'open';
  const displayId = await nextDisplayId(tx, input.accountId);
  const assigneeId =
    input.assigneeId ??
    (inbox.enableAutoAssignment && status === 'open' && !input.queue
      ? await pickAutoAssignee(tx, { accountId: input.accountId, inboxId: input.inboxId })
      : null);
  const snoozedUntil = status === 'snoozed' ? (input.snoozedUntil ?? null) : null;
  const [row] = await tx
    .insert(conversations)
    .values({
      accountId: input.accountId,
      displayId,
      inboxId: input.inboxId,
      contactId: input.contactId,
      contactInboxId: input.contactInboxId ?? null,
      status,
      assigneeId,
      teamId: input.teamId ?? null,
      snoozedUntil,
      additionalAttributes: input.additionalAttributes ?? {},
      customAttributes: input.customAttributes ?? {},
      direction: input.direction ?? 'inbound',
      subject: input.subject ?? null,
      language: input.language ?? null,
    })
    .returning();
  if (!row) throw new Error('conversation insert returned no row');
  if (snoozedUntil) await scheduleSnoozeEnd(tx, row, snoozedUntil);
  await recordEvent(tx, conversationCreated, {
    accountId: input.accountId,
    aggregateId: row.id,
    payload: { conversation: await snapshotOfRow(tx, row) },
    actor: input.actor,
  });
  await routeNewConversation(tx, row, input.queue ?? null);
  return row;
}
