import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { phoneNumbers } from '../numbers/numbers.tables.js';
import { authorizedClis, type AuthorizedCliRow, type AuthorizedCliType } from './authorized-clis.tables.js';

/**
 * The CLIs an account may present beyond its own numbers. The operator authorizes them (after
 * checking the account owns the number or sender name); clients only read the list.
 */

const e164 = /^\+[1-9]\d{5,14}$/;
/** An SMS alphanumeric sender: 3 to 11 letters, digits, spaces or "-._", not all digits. */
const smsSender = /^(?=.*[A-Za-z])[A-Za-z0-9 ._-]{3,11}$/;

export const MAX_AUTHORIZED_CLIS_PER_ACCOUNT = 500;

export function listAuthorizedClis(
  db: Db,
  accountId: number,
  type: AuthorizedCliType,
): Promise<AuthorizedCliRow[]> {
  return db
    .select()
    .from(authorizedClis)
    .where(and(eq(authorizedClis.accountId, accountId), eq(authorizedClis.type, type)))
    .orderBy(asc(authorizedClis.id))
    .limit(MAX_AUTHORIZED_CLIS_PER_ACCOUNT);
}

/** Adds (or relabels) an authorized CLI. */
export async function authorizeCli(
  db: Db,
  input: { accountId: number; type: AuthorizedCliType; cli: string; label?: string; comment?: string },
): Promise<AuthorizedCliRow> {
  const cli = input.cli.trim();
  const valid = e164.test(cli) || (input.type === 'SMS' && smsSender.test(cli));
  if (!valid) {
    throw new DomainError('VALIDATION_FAILED', 'Invalid CLI', [
      {
        path: 'cli',
        message:
          input.type === 'SMS'
            ? 'expected an E.164 number or an alphanumeric sender of 3 to 11 characters'
            : 'expected an E.164 number',
      },
    ]);
  }
  const values = { label: input.label ?? '', comment: input.comment ?? '' };
  const [row] = await db
    .insert(authorizedClis)
    .values({ accountId: input.accountId, type: input.type, cli, ...values })
    .onConflictDoUpdate({
      target: [authorizedClis.accountId, authorizedClis.type, authorizedClis.cli],
      set: values,
    })
    .returning();
  if (!row) throw new Error('INSERT … RETURNING gave no row');
  return row;
}

export async function revokeCli(
  db: Db,
  accountId: number,
  type: AuthorizedCliType,
  cli: string,
): Promise<void> {
  const deleted = await db
    .delete(authorizedClis)
    .where(
      and(
        eq(authorizedClis.accountId, accountId),
        eq(authorizedClis.type, type),
        eq(authorizedClis.cli, cli),
      ),
    )
    .returning({ id: authorizedClis.id });
  if (deleted.length === 0) throw notFound('CLI');
}

/**
 * Whether a call of this account may present `cli` (REALTIME10.Call.Options.cli: "BLOCKED", any
 * DID you have on your account, or any phone number we have authorized on your account").
 */
export async function mayPresentCli(db: Db, accountId: number, cli: string): Promise<boolean> {
  if (cli === 'BLOCKED') return true;
  const [owned] = await db
    .select({ id: phoneNumbers.id })
    .from(phoneNumbers)
    .where(
      and(
        eq(phoneNumbers.accountId, accountId),
        eq(phoneNumbers.state, 'active'),
        eq(phoneNumbers.number, cli),
      ),
    );
  if (owned) return true;
  const [authorized] = await db
    .select({ id: authorizedClis.id })
    .from(authorizedClis)
    .where(
      and(
        eq(authorizedClis.accountId, accountId),
        eq(authorizedClis.type, 'VOICE'),
        eq(authorizedClis.cli, cli),
      ),
    );
  return authorized !== undefined;
}
