import { isIP } from 'node:net';
import { and, asc, eq, gt } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { toPage, type Page } from '../../platform/db/keyset.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import { bannedByOf } from './ban-contact.js';
import { bannedIps, type BannedIpRow } from './bans.tables.js';
import { ipBanned, ipUnbanned } from './bans.events.js';

/**
 * One spelling per address: lower-case IPv6, and an IPv4 address seen through a dual-stack
 * socket (`::ffff:203.0.113.9`) as plain IPv4, so a ban matches however the request arrived.
 * Returns null for anything that is not an IP address.
 */
export function normalizeIp(value: string): string | null {
  const trimmed = value.trim().toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(trimmed)?.[1];
  const candidate = mapped ?? trimmed;
  return isIP(candidate) === 0 ? null : candidate;
}

function requireIp(value: string): string {
  const ip = normalizeIp(value);
  if (!ip) {
    throw new DomainError('VALIDATION_FAILED', 'ip is not an IP address', [
      { path: 'ip', message: 'must be an IPv4 or IPv6 address' },
    ]);
  }
  return ip;
}

/** Bans the address; banning it again is a no-op that returns the existing ban. */
export async function banIp(
  db: Db,
  input: { accountId: number; ip: string; actor: Actor },
): Promise<BannedIpRow> {
  const ip = requireIp(input.ip);
  return db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(bannedIps)
      .values({ accountId: input.accountId, ipAddress: ip, bannedByUserId: bannedByOf(input.actor) })
      .onConflictDoNothing()
      .returning();
    if (!inserted) return getBannedIp(tx, input.accountId, ip);
    await recordEvent(tx, ipBanned, {
      accountId: input.accountId,
      aggregateId: ip,
      payload: { ip, byUserId: bannedByOf(input.actor) },
      actor: input.actor,
    });
    return inserted;
  });
}

/** Lifts the ban; an address that is not banned is a 404. */
export async function unbanIp(db: Db, input: { accountId: number; ip: string; actor: Actor }): Promise<void> {
  const ip = requireIp(input.ip);
  await db.transaction(async (tx) => {
    const deleted = await tx
      .delete(bannedIps)
      .where(and(eq(bannedIps.accountId, input.accountId), eq(bannedIps.ipAddress, ip)))
      .returning({ id: bannedIps.id });
    if (deleted.length === 0) throw notFound('Banned IP');
    await recordEvent(tx, ipUnbanned, {
      accountId: input.accountId,
      aggregateId: ip,
      payload: { ip, byUserId: bannedByOf(input.actor) },
      actor: input.actor,
    });
  });
}

export async function getBannedIp(db: Db, accountId: number, ip: string): Promise<BannedIpRow> {
  const [row] = await db
    .select()
    .from(bannedIps)
    .where(and(eq(bannedIps.accountId, accountId), eq(bannedIps.ipAddress, ip)));
  if (!row) throw notFound('Banned IP');
  return row;
}

export async function listBannedIps(
  db: Db,
  options: { accountId: number; afterId?: number | undefined; limit: number },
): Promise<Page<BannedIpRow>> {
  const rows = await db
    .select()
    .from(bannedIps)
    .where(
      and(
        eq(bannedIps.accountId, options.accountId),
        options.afterId === undefined ? undefined : gt(bannedIps.id, options.afterId),
      ),
    )
    .orderBy(asc(bannedIps.id))
    .limit(options.limit + 1);
  return toPage(rows, options.limit, (row) => row.id);
}

/** Whether end users of the account may not write in from this address. */
export async function isIpBanned(db: Db, accountId: number, ip: string): Promise<boolean> {
  const normalized = normalizeIp(ip);
  if (!normalized) return false;
  const [row] = await db
    .select({ id: bannedIps.id })
    .from(bannedIps)
    .where(and(eq(bannedIps.accountId, accountId), eq(bannedIps.ipAddress, normalized)))
    .limit(1);
  return row !== undefined;
}

/** Refuses an end user's write from a banned address (403, as Dixa refuses banned visitors). */
export async function assertIpNotBanned(db: Db, accountId: number, ip: string): Promise<void> {
  if (await isIpBanned(db, accountId, ip)) {
    throw new DomainError('FORBIDDEN', 'Your IP address is banned from contacting this organization');
  }
}
