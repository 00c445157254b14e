import { and, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { phoneNumbers } from '../numbers/numbers.tables.js';
import type { CarrierSimulator, InboundCallRequest, InboundCallResult } from './carrier-simulator.js';

/**
 * The operator's way to make the carrier simulator ring a DID (demos, tests, checking an app): only
 * when the simulator is switched on by configuration. The platform stands for the carrier and may
 * ring any number (one nobody holds is refused as unallocated); an account may only ring its own.
 */
export async function simulateInboundCall(
  db: Db,
  carrier: { simulator: CarrierSimulator | undefined; enabled: boolean },
  request: InboundCallRequest & { accountId?: number },
): Promise<InboundCallResult> {
  if (!carrier.enabled || !carrier.simulator) {
    throw new DomainError(
      'INVALID_STATE',
      'The carrier simulator is off: set PARLEY_TELEPHONY_SIMULATOR to inject inbound calls',
    );
  }
  if (request.accountId !== undefined) {
    const [held] = await db
      .select({ id: phoneNumbers.id })
      .from(phoneNumbers)
      .where(
        and(
          eq(phoneNumbers.accountId, request.accountId),
          eq(phoneNumbers.number, request.to),
          eq(phoneNumbers.state, 'active'),
        ),
      );
    if (!held) throw notFound('Number');
  }
  return carrier.simulator.injectInbound({
    to: request.to,
    ...(request.from !== undefined && { from: request.from }),
    ...(request.talkSeconds !== undefined && { talkSeconds: request.talkSeconds }),
  });
}
