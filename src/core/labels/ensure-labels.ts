import type { Db } from '../../platform/db/database.js';
import { labels } from './labels.tables.js';

/**
 * Gives every label name a catalogue row, creating missing ones Active and without colour.
 * Chatwoot lets a client put any label name on a conversation; creating the row at once (rather
 * than refusing the name, or leaving it off the catalogue) keeps one truth: every tag a
 * conversation carries has a stable id that the Dixa face can show and untag by, and it appears in
 * the organization's tag list. Case-insensitive: "VIP" and "vip" are one tag.
 */
export async function ensureLabels(tx: Db, accountId: number, names: string[]): Promise<void> {
  if (names.length === 0) return;
  await tx
    .insert(labels)
    .values(names.map((name) => ({ accountId, name })))
    .onConflictDoNothing();
}
