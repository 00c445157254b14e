import type { Db } from '../../platform/db/database.js';
import type { Principal } from './principal.js';

/**
 * Expiring session tokens with a refresh token (CALLR's `Authentication.Session`).
 * PLACEHOLDER: owned by the credentials helper, who replaces this with the real table lookup.
 */
// eslint-disable-next-line @typescript-eslint/require-await -- placeholder
export async function resolveSessionToken(_db: Db, _token: string): Promise<Principal | null> {
  return null;
}
