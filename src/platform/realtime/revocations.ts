import { z } from 'zod';
import type { Database } from '../db/database.js';
import type { RealtimeErrorHandler } from './realtime-bus.js';

/**
 * The channel the database announces ended access on. Triggers on the credential tables send the
 * notices (migration `access_revocation_notices`), so they leave at commit, from whatever path
 * ended the access.
 */
export const REVOCATIONS_CHANNEL = 'parley_revocations';

const id = z.number().int();

/** Access that ended, as the database announces it; the shapes match the trigger's JSON. */
export const revocationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('access_token'), userId: id, tokenId: id }),
  z.object({ kind: z.literal('api_key'), accountId: id, keyId: id }),
  z.object({ kind: z.literal('membership'), accountId: id, userId: id }),
  z.object({ kind: z.literal('user'), userId: id }),
  z.object({ kind: z.literal('account'), accountId: id }),
  z.object({ kind: z.literal('agent_bot'), botId: id }),
]);

export type Revocation = z.infer<typeof revocationSchema>;

export type RevocationListener = (revocation: Revocation) => void;

/** Parses a notice; throws on anything that is not one. */
export function decodeRevocation(raw: string): Revocation {
  return revocationSchema.parse(JSON.parse(raw));
}

/**
 * Hears the database's revocation notices and hands each to `deliver`; an undecodable notice is
 * reported and skipped. `onListening` runs once listening, and again after a lost connection was
 * replaced (see `Database.listen`). Resolves to the function that stops listening.
 */
export function listenForRevocations(
  database: Database,
  deliver: RevocationListener,
  onError: RealtimeErrorHandler,
  onListening?: () => void,
): Promise<() => Promise<void>> {
  return database.listen(
    REVOCATIONS_CHANNEL,
    (raw) => {
      let revocation: Revocation;
      try {
        revocation = decodeRevocation(raw);
      } catch (error) {
        onError(error, { raw });
        return;
      }
      deliver(revocation);
    },
    onListening,
  );
}
