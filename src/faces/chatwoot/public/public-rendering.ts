import type { AppContext } from '../../../platform/app-context.js';
import type { Db } from '../../../platform/db/database.js';
import { listMessages, loadMessageSnapshots } from '../../../core/conversations/index.js';
import type { ConversationRow, MessageRow } from '../../../core/conversations/conversations.tables.js';
import type { MessageSnapshot } from '../../../core/conversations/conversations.events.js';
import type { ClientContact } from '../../../core/public-client/client-contacts.js';
import { toPublicConversation, type PublicConversation } from './public-serializers.js';
import { toPublicThreadMessage } from './public-messages.js';

export const contactActor = (client: ClientContact) => ({ type: 'contact', id: client.contact.id }) as const;

/** Private notes are the team's: a visitor never sees them. Keeps the rows' order. */
export async function visibleSnapshots(
  ctx: AppContext,
  accountId: number,
  rows: MessageRow[],
): Promise<MessageSnapshot[]> {
  const visible = rows.filter((row) => !row.isPrivate);
  const snapshots = await loadMessageSnapshots(ctx.db, accountId, visible);
  return visible.flatMap((row) => {
    const snapshot = snapshots.get(row.id);
    return snapshot ? [snapshot] : [];
  });
}

/** A conversation with its whole visible thread. */
export async function renderConversation(
  ctx: AppContext,
  client: ClientContact,
  row: ConversationRow,
): Promise<PublicConversation> {
  const accountId = client.inbox.accountId;
  const messages = await visibleSnapshots(ctx, accountId, await listMessages(ctx.db, accountId, row.id));
  return toPublicConversation(
    row,
    client.contact,
    messages.map((message) => toPublicThreadMessage(message, ctx.storage)),
  );
}

export function inTransaction<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction(work);
}
