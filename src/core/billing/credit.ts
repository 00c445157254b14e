import type { Db } from '../../platform/db/database.js';

/** What a charge is for; each kind has its configured rate. */
export type ChargeKind = 'sms' | 'call_minute' | 'number_month';

/**
 * Debits an account's prepaid credit in the caller's transaction (one ledger row), so a charge and
 * what it pays for commit together. PLACEHOLDER: the billing helper replaces the body.
 */
// eslint-disable-next-line @typescript-eslint/require-await -- placeholder
export async function chargeCredit(
  _tx: Db,
  _charge: { accountId: number; kind: ChargeKind; quantity: number; reference: string },
): Promise<{ debitCents: number }> {
  return { debitCents: 0 };
}
