import { z } from 'zod';
import { defineEvent } from '../../platform/events/event-definition.js';

export const CREDIT_LIMIT_REACHED = 'billing.credit_limit_reached';

/** Which of the account's limits a movement took the balance down to. */
export type CreditLimit = 'warning' | 'shutdown';

/** The account's credit once the movement applied, as faces render it (CALLR's credit webhook). */
export interface CreditSnapshot {
  balanceCents: number;
  currencyCode: string;
  lastTransactionCents: number;
  warningLimitCents: number | null;
  shutdownLimitCents: number | null;
}

export const creditLimitReached = defineEvent<{ limit: CreditLimit; credit: CreditSnapshot }>({
  type: CREDIT_LIMIT_REACHED,
  aggregateType: 'account',
  version: 1,
  description:
    "A charge or transfer took the account's prepaid credit down to its warning or shutdown limit.",
  payloadSchema: z.object({
    limit: z.enum(['warning', 'shutdown']),
    credit: z.object({
      balanceCents: z.number(),
      currencyCode: z.string(),
      lastTransactionCents: z.number(),
      warningLimitCents: z.number().nullable(),
      shutdownLimitCents: z.number().nullable(),
    }),
  }),
});
