import type { Db } from '../../platform/db/database.js';
import type { ConversationRow } from './conversations.tables.js';
import type { ConversationSnapshot, MessageSnapshot } from './conversations.events.js';
import { snapshotsOfRows } from './conversation-snapshots.js';
import { loadMessageSnapshots } from './message-snapshots.js';
import { loadLastMessages } from './list-conversations.js';

export interface ConversationView {
  conversation: ConversationSnapshot;
  lastMessage: MessageSnapshot | null;
}

/**
 * What a face needs to show conversations: snapshots and last messages, for a whole page in a
 * fixed number of queries (no per-row loading). Order follows `rows`.
 */
export async function loadConversationViews(
  db: Db,
  accountId: number,
  rows: ConversationRow[],
): Promise<ConversationView[]> {
  const [snapshots, lastMessageRows] = await Promise.all([
    snapshotsOfRows(db, accountId, rows),
    loadLastMessages(db, accountId, rows),
  ]);
  const displayIds = new Map(rows.map((row) => [row.id, row.displayId]));
  const messageSnapshots = await loadMessageSnapshots(
    db,
    accountId,
    [...lastMessageRows.values()],
    displayIds,
  );
  return rows.flatMap((row) => {
    const conversation = snapshots.get(row.id);
    if (!conversation) return [];
    const lastRow = lastMessageRows.get(row.id);
    return [{ conversation, lastMessage: lastRow ? (messageSnapshots.get(lastRow.id) ?? null) : null }];
  });
}

export async function loadConversationView(db: Db, row: ConversationRow): Promise<ConversationView> {
  const [view] = await loadConversationViews(db, row.accountId, [row]);
  if (!view) throw new Error(`conversation ${row.id}: view missing`);
  return view;
}
