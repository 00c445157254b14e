import { randomInt } from 'node:crypto';
import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { sqlStateOf } from '../../platform/db/database-errors.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { phoneNumbers } from '../numbers/numbers.tables.js';
import { generateSipPassword, openSipPassword, sealSipPassword, sipPasswordOpener } from './sip-passwords.js';
import { sipSubscribers, type SipCodec, type SipSubscriberRow } from './sip.tables.js';

/** A subscriber with its password opened: what the API shows. */
export interface SipSubscriber extends Omit<SipSubscriberRow, 'passwordCiphertext'> {
  password: string;
}

/** `sip_subscriber_username`: 3 to 32 of a-z 0-9 . _ -, starting with a letter or digit (stored lower-case). */
export const SIP_USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{2,31}$/;

/** What a client may set (`SIP.Subscriber.Properties` + `.Options`); absent fields keep their value. */
export interface SipSubscriberInput {
  username?: string | undefined;
  cli?: string | undefined;
  codecs?: SipCodec[] | undefined;
  privacy?: 'full' | 'off' | undefined;
  ringTimeout?: number | undefined;
  srtp?: boolean | undefined;
  vms?: Record<string, unknown> | undefined;
}

const UNIQUE_VIOLATION = '23505';

function usernameTaken(username: string): DomainError {
  return new DomainError('CONFLICT', `The SIP username ${username} is already used in this account`, [
    { path: 'username', message: 'is already taken' },
  ]);
}

/** CALLR: the CLI is "BLOCKED" or a number of the account (its active DIDs). */
async function assertCliAllowed(db: Db, accountId: number, cli: string | undefined): Promise<void> {
  if (cli === undefined || cli === 'BLOCKED') return;
  const [owned] = await db
    .select({ id: phoneNumbers.id })
    .from(phoneNumbers)
    .where(
      and(
        eq(phoneNumbers.number, cli),
        eq(phoneNumbers.accountId, accountId),
        eq(phoneNumbers.state, 'active'),
      ),
    );
  if (!owned) {
    throw new DomainError('VALIDATION_FAILED', `${cli} is not a number of this account`, [
      { path: 'cli', message: 'must be "BLOCKED" or one of the account\'s numbers' },
    ]);
  }
}

/** An auto-generated username: "sip" and seven digits. */
function generateUsername(): string {
  return `sip${randomInt(1_000_000, 10_000_000)}`;
}

export async function createSipSubscriber(
  db: Db,
  accountId: number,
  input: SipSubscriberInput,
): Promise<SipSubscriber> {
  await assertCliAllowed(db, accountId, input.cli);
  const password = generateSipPassword();
  const passwordCiphertext = await sealSipPassword(db, password);
  // A generated username may collide with an existing one: draw again, a few times.
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const username = input.username ?? generateUsername();
    const [row] = await db
      .insert(sipSubscribers)
      .values({
        accountId,
        username,
        passwordCiphertext,
        ...(input.cli !== undefined && { cli: input.cli }),
        ...(input.codecs !== undefined && { codecs: input.codecs }),
        ...(input.privacy !== undefined && { privacy: input.privacy }),
        ...(input.ringTimeout !== undefined && { ringTimeout: input.ringTimeout }),
        ...(input.srtp !== undefined && { srtp: input.srtp }),
        ...(input.vms !== undefined && { vms: input.vms }),
      })
      .onConflictDoNothing()
      .returning();
    if (row) return withPassword(row, password);
    if (input.username !== undefined) throw usernameTaken(input.username);
  }
  throw new DomainError('CONFLICT', 'Could not draw a free SIP username; give one');
}

function withPassword(row: SipSubscriberRow, password: string): SipSubscriber {
  const { passwordCiphertext: _sealed, ...rest } = row;
  return { ...rest, password };
}

export async function getSipSubscriber(db: Db, accountId: number, id: number): Promise<SipSubscriber> {
  const [row] = await db
    .select()
    .from(sipSubscribers)
    .where(and(eq(sipSubscribers.accountId, accountId), eq(sipSubscribers.id, id)));
  if (!row) throw notFound('SIP subscriber');
  return withPassword(row, await openSipPassword(db, row.passwordCiphertext));
}

export type SipSubscriberOrder = 'id' | '-id' | 'username' | '-username';

/** One page of the account's subscribers (optionally one username) and how many match in all. */
export async function listSipSubscribers(
  db: Db,
  accountId: number,
  options: { username?: string | undefined; offset: number; limit: number; order: SipSubscriberOrder },
): Promise<{ items: SipSubscriber[]; total: number }> {
  const where = and(
    eq(sipSubscribers.accountId, accountId),
    options.username === undefined ? undefined : eq(sipSubscribers.username, options.username),
  );
  const orderBy: Record<SipSubscriberOrder, SQL[]> = {
    id: [asc(sipSubscribers.id)],
    '-id': [desc(sipSubscribers.id)],
    username: [asc(sipSubscribers.username)],
    '-username': [desc(sipSubscribers.username)],
  };
  const rows = await db
    .select({ row: sipSubscribers, total: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(sipSubscribers)
    .where(where)
    .orderBy(...orderBy[options.order])
    .limit(options.limit)
    .offset(options.offset);
  const open = await sipPasswordOpener(db);
  const items = rows.map(({ row }) => withPassword(row, open(row.passwordCiphertext)));
  const [first] = rows;
  if (first) return { items, total: first.total };
  const [counted] = await db
    .select({ total: sql<number>`count(*)`.mapWith(Number) })
    .from(sipSubscribers)
    .where(where);
  return { items, total: counted?.total ?? 0 };
}

export async function editSipSubscriber(
  db: Db,
  accountId: number,
  id: number,
  input: SipSubscriberInput,
): Promise<SipSubscriber> {
  await assertCliAllowed(db, accountId, input.cli);
  let row: SipSubscriberRow | undefined;
  try {
    [row] = await db
      .update(sipSubscribers)
      .set({
        ...(input.username !== undefined && { username: input.username }),
        ...(input.cli !== undefined && { cli: input.cli }),
        ...(input.codecs !== undefined && { codecs: input.codecs }),
        ...(input.privacy !== undefined && { privacy: input.privacy }),
        ...(input.ringTimeout !== undefined && { ringTimeout: input.ringTimeout }),
        ...(input.srtp !== undefined && { srtp: input.srtp }),
        ...(input.vms !== undefined && { vms: input.vms }),
        updatedAt: sql`now()`,
      })
      .where(and(eq(sipSubscribers.accountId, accountId), eq(sipSubscribers.id, id)))
      .returning();
  } catch (error) {
    if (sqlStateOf(error) === UNIQUE_VIOLATION && input.username !== undefined)
      throw usernameTaken(input.username);
    throw error;
  }
  if (!row) throw notFound('SIP subscriber');
  return withPassword(row, await openSipPassword(db, row.passwordCiphertext));
}

/** A new generated password; the old one stops working at once. */
export async function resetSipSubscriberPassword(
  db: Db,
  accountId: number,
  id: number,
): Promise<SipSubscriber> {
  const password = generateSipPassword();
  const [row] = await db
    .update(sipSubscribers)
    .set({ passwordCiphertext: await sealSipPassword(db, password), updatedAt: sql`now()` })
    .where(and(eq(sipSubscribers.accountId, accountId), eq(sipSubscribers.id, id)))
    .returning();
  if (!row) throw notFound('SIP subscriber');
  return withPassword(row, password);
}

export async function deleteSipSubscriber(db: Db, accountId: number, id: number): Promise<void> {
  const [row] = await db
    .delete(sipSubscribers)
    .where(and(eq(sipSubscribers.accountId, accountId), eq(sipSubscribers.id, id)))
    .returning({ id: sipSubscribers.id });
  if (!row) throw notFound('SIP subscriber');
}
