import { randomBytes } from 'node:crypto';
import type { Db } from '../platform/db/database.js';
import { DomainError } from '../platform/errors.js';
import type { Actor } from '../platform/events/outbox.js';
import { createAccount, listAccounts } from '../core/identity/accounts.js';
import { createApiKey } from '../core/identity/api-keys.js';
import { addMember } from '../core/identity/members.js';
import { createUser } from '../core/identity/users.js';

export const BOOTSTRAP_ACCOUNT_NAME = 'Parley';
export const BOOTSTRAP_ADMIN_EMAIL = 'admin@parley.local';

const bootstrapActor: Actor = { type: 'system', id: 'bootstrap' };

export interface BootstrapResult {
  accountId: number;
  email: string;
  password: string;
  apiKey: string;
}

/**
 * On an empty database, creates a first account, an administrator who can log in and an API
 * key, so a fresh install is usable at once. Returns null when any account already exists.
 *
 * Everything happens in one transaction: a crash leaves nothing half-made, and when several
 * nodes start together on an empty server database, the unique email index lets one of them
 * bootstrap while the others roll back and skip.
 */
export async function bootstrapIfEmpty(db: Db): Promise<BootstrapResult | null> {
  try {
    return await db.transaction(async (tx) => {
      const existing = await listAccounts(tx, { limit: 1 });
      if (existing.items.length > 0) return null;
      const password = randomBytes(18).toString('base64url');
      const user = await createUser(tx, { name: 'Administrator', email: BOOTSTRAP_ADMIN_EMAIL, password });
      const account = await createAccount(tx, { name: BOOTSTRAP_ACCOUNT_NAME }, bootstrapActor);
      await addMember(tx, { accountId: account.id, userId: user.id, role: 'administrator' }, bootstrapActor);
      const { token } = await createApiKey(
        tx,
        { accountId: account.id, name: 'bootstrap', role: 'administrator', createdByUserId: user.id },
        bootstrapActor,
      );
      return { accountId: account.id, email: user.email, password, apiKey: token };
    });
  } catch (error) {
    // Another node won the race (or the administrator was created by hand): nothing to do here.
    if (error instanceof DomainError && error.code === 'CONFLICT') return null;
    throw error;
  }
}

/** The block printed once on first start: where Parley is and how to get in. */
export function formatBootstrapBanner(result: BootstrapResult, url: string): string {
  const rule = '='.repeat(78);
  return [
    rule,
    '  Parley, first start: an account and an administrator were created.',
    '  These credentials are shown only once; store them now.',
    '',
    `  URL:       ${url}`,
    `  API docs:  ${url}/docs`,
    `  Email:     ${result.email}`,
    `  Password:  ${result.password}`,
    `  Account:   ${result.accountId}`,
    `  API key:   ${result.apiKey}`,
    '',
    '  Try it:',
    `    curl -H "Authorization: Bearer ${result.apiKey}" ${url}/api/v1/accounts`,
    rule,
    '',
  ].join('\n');
}
