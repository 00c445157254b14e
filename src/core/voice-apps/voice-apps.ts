import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { phoneNumbers, type PhoneNumberRow } from '../numbers/numbers.tables.js';
import { mediaItems } from '../media/media.tables.js';
import { mediaReferences, normalizeVoiceAppOptions, packageInfo } from './voice-app-options.js';
import { voiceApps, type VoiceAppPackage, type VoiceAppRow } from './voice-apps.tables.js';

/**
 * Voice apps of an account and the numbers assigned to them. Every query is scoped to the
 * account: another account's app or number reads as not found.
 */

/** More than any real account needs, so a list stays one bounded query. */
export const MAX_VOICE_APPS_PER_ACCOUNT = 1000;

export async function findVoiceApp(db: Db, accountId: number, id: number): Promise<VoiceAppRow | null> {
  const [row] = await db
    .select()
    .from(voiceApps)
    .where(and(eq(voiceApps.accountId, accountId), eq(voiceApps.id, id)));
  return row ?? null;
}

async function loadVoiceApp(db: Db, accountId: number, id: number): Promise<VoiceAppRow> {
  const row = await findVoiceApp(db, accountId, id);
  if (!row) throw notFound('App');
  return row;
}

export function listVoiceApps(db: Db, accountId: number): Promise<VoiceAppRow[]> {
  return db
    .select()
    .from(voiceApps)
    .where(eq(voiceApps.accountId, accountId))
    .orderBy(asc(voiceApps.id))
    .limit(MAX_VOICE_APPS_PER_ACCOUNT);
}

/**
 * The normalized options, or a validation error naming each wrong field; a media id must be one
 * of the account's media library (its content may still be on its way: only existence is checked).
 */
async function validOptions(
  db: Db,
  accountId: number,
  pkg: VoiceAppPackage,
  input: unknown,
): Promise<Record<string, unknown>> {
  const checked = normalizeVoiceAppOptions(pkg, input);
  if (!checked.ok) throw new DomainError('VALIDATION_FAILED', `Invalid ${pkg} options`, checked.issues);
  const references = mediaReferences(pkg, checked.options);
  if (references.length > 0) {
    const ids = [...new Set(references.map((reference) => reference.mediaId))];
    const found = await db
      .select({ id: mediaItems.id })
      .from(mediaItems)
      .where(and(eq(mediaItems.accountId, accountId), inArray(mediaItems.id, ids)));
    const known = new Set(found.map((row) => row.id));
    const missing = references.filter((reference) => !known.has(reference.mediaId));
    if (missing.length > 0) {
      throw new DomainError(
        'VALIDATION_FAILED',
        `Invalid ${pkg} options`,
        missing.map((reference) => ({
          path: reference.path,
          message: `media ${reference.mediaId} is not in the account's media library`,
        })),
      );
    }
  }
  return checked.options;
}

function validName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.length > 128) {
    throw new DomainError('VALIDATION_FAILED', 'Invalid app name', [
      { path: 'name', message: 'expected 1 to 128 characters' },
    ]);
  }
  return trimmed;
}

export async function createVoiceApp(
  db: Db,
  input: { accountId: number; package: VoiceAppPackage; name: string; options: unknown },
): Promise<VoiceAppRow> {
  const name = validName(input.name);
  const options = await validOptions(db, input.accountId, input.package, input.options);
  const [{ count } = { count: 0 }] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(voiceApps)
    .where(eq(voiceApps.accountId, input.accountId));
  if (count >= MAX_VOICE_APPS_PER_ACCOUNT) {
    throw new DomainError('CONFLICT', `An account has at most ${MAX_VOICE_APPS_PER_ACCOUNT} voice apps`);
  }
  const [row] = await db
    .insert(voiceApps)
    .values({ accountId: input.accountId, package: input.package, name, options })
    .returning();
  if (!row) throw new Error('INSERT … RETURNING gave no row');
  return row;
}

/**
 * Renames an app and/or replaces its options (a whole options object, validated and normalized
 * like at creation: fields left out take their defaults). `null`/absent keeps the current value.
 */
export async function editVoiceApp(
  db: Db,
  input: { accountId: number; id: number; name?: string | null; options?: unknown },
): Promise<VoiceAppRow> {
  const current = await loadVoiceApp(db, input.accountId, input.id);
  const name = input.name === null || input.name === undefined ? current.name : validName(input.name);
  const options =
    input.options === null || input.options === undefined
      ? current.options
      : await validOptions(db, input.accountId, current.package, input.options);
  const [row] = await db
    .update(voiceApps)
    .set({ name, options, updatedAt: new Date() })
    .where(and(eq(voiceApps.accountId, input.accountId), eq(voiceApps.id, input.id)))
    .returning();
  if (!row) throw notFound('App');
  return row;
}

/** Deletes an app; its numbers stay the account's, unassigned (the foreign key sets them null). */
export async function deleteVoiceApp(db: Db, accountId: number, id: number): Promise<void> {
  const deleted = await db
    .delete(voiceApps)
    .where(and(eq(voiceApps.accountId, accountId), eq(voiceApps.id, id)))
    .returning({ id: voiceApps.id });
  if (deleted.length === 0) throw notFound('App');
}

/** The account's numbers assigned to any of these apps, in one query, grouped by app id. */
export async function numbersOfApps(
  db: Db,
  accountId: number,
  appIds: readonly number[],
): Promise<Map<number, PhoneNumberRow[]>> {
  const byApp = new Map<number, PhoneNumberRow[]>();
  if (appIds.length === 0) return byApp;
  const rows = await db
    .select()
    .from(phoneNumbers)
    .where(and(eq(phoneNumbers.accountId, accountId), inArray(phoneNumbers.voiceAppId, [...appIds])))
    .orderBy(asc(phoneNumbers.id));
  for (const row of rows) {
    if (row.voiceAppId === null) continue;
    const list = byApp.get(row.voiceAppId) ?? [];
    list.push(row);
    byApp.set(row.voiceAppId, list);
  }
  return byApp;
}

/** The account's numbers; `onlyAvailable` keeps those assigned to no app, inbox or conference room. */
export function listAccountNumbers(
  db: Db,
  accountId: number,
  options: { onlyAvailable: boolean },
): Promise<PhoneNumberRow[]> {
  const owned = and(eq(phoneNumbers.accountId, accountId), eq(phoneNumbers.state, 'active'));
  return db
    .select()
    .from(phoneNumbers)
    .where(
      options.onlyAvailable
        ? and(
            owned,
            isNull(phoneNumbers.voiceAppId),
            isNull(phoneNumbers.inboxId),
            isNull(phoneNumbers.conferenceRoomId),
          )
        : owned,
    )
    .orderBy(asc(phoneNumbers.id));
}

/** The account's active number, locked for a change of assignment. */
export async function lockAccountNumber(
  tx: Db,
  accountId: number,
  numberId: number,
): Promise<PhoneNumberRow> {
  const [row] = await tx
    .select()
    .from(phoneNumbers)
    .where(
      and(
        eq(phoneNumbers.id, numberId),
        eq(phoneNumbers.accountId, accountId),
        eq(phoneNumbers.state, 'active'),
      ),
    )
    .for('update');
  if (!row) throw notFound('DID');
  return row;
}

/**
 * Routes a number's calls to an app. A number already on another app moves (one number, one
 * app); a number serving an inbox must be taken off it first; an app whose package takes no
 * number (click-to-call) is refused.
 */
export async function assignNumberToApp(
  db: Db,
  input: { accountId: number; appId: number; numberId: number },
): Promise<PhoneNumberRow> {
  return db.transaction(async (tx) => {
    // The app row is locked too, so a concurrent delete cannot leave the number on a ghost app.
    const [app] = await tx
      .select()
      .from(voiceApps)
      .where(and(eq(voiceApps.accountId, input.accountId), eq(voiceApps.id, input.appId)))
      .for('update');
    if (!app) throw notFound('App');
    if (!packageInfo[app.package].hasDid) {
      throw new DomainError('INVALID_STATE', `A ${app.package} app cannot be assigned a DID`);
    }
    const number = await lockAccountNumber(tx, input.accountId, input.numberId);
    if (number.inboxId !== null) {
      throw new DomainError('CONFLICT', 'The DID is assigned to an inbox: unassign it there first');
    }
    if (number.conferenceRoomId !== null) {
      throw new DomainError('CONFLICT', 'The DID is assigned to a conference room: remove it there first');
    }
    const [updated] = await tx
      .update(phoneNumbers)
      .set({ voiceAppId: app.id, updatedAt: new Date() })
      .where(eq(phoneNumbers.id, number.id))
      .returning();
    if (!updated) throw notFound('DID');
    return updated;
  });
}

/** Takes a number off its app (nothing to do when it has none). */
export async function removeNumberFromApp(
  db: Db,
  input: { accountId: number; numberId: number },
): Promise<PhoneNumberRow> {
  return db.transaction(async (tx) => {
    const number = await lockAccountNumber(tx, input.accountId, input.numberId);
    if (number.voiceAppId === null) return number;
    const [updated] = await tx
      .update(phoneNumbers)
      .set({ voiceAppId: null, updatedAt: new Date() })
      .where(eq(phoneNumbers.id, number.id))
      .returning();
    if (!updated) throw notFound('DID');
    return updated;
  });
}
