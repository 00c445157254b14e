import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import {
  creditRatesOf,
  getCreditBalance,
  listCreditLedger,
  setCreditLimits,
  setCreditRate,
  topUpCredit,
} from '../../core/billing/credit.js';
import { chargeKinds, ledgerKinds, type CreditLedgerRow } from '../../core/billing/billing.tables.js';
import { accountAccess, requirePlatform } from '../shared/access.js';
import { accountParams, commonErrors, iso, isoDate, pageOf, pageQuery } from './schemas.js';

const tags = ['billing'];

const creditSchema = z.object({
  balanceCents: z.number().describe('Negative when charges exceeded the credit: charges never refuse'),
  currencyCode: z.string(),
  lastTransactionCents: z.number().describe('The latest movement, negative for a charge'),
  warningLimitCents: z.number().nullable().describe('Reaching it raises a credit warning event; null: none'),
  shutdownLimitCents: z.number().nullable().describe('At or below it calls and SMS are refused; null: never'),
  ratesCents: z.object({ sms: z.number(), call_minute: z.number(), number_month: z.number() }),
});

const ledgerEntrySchema = z.object({
  id: z.number(),
  kind: z.enum(ledgerKinds),
  quantity: z.number(),
  unitCents: z.number(),
  amountCents: z.number(),
  balanceAfterCents: z.number(),
  reference: z.string(),
  createdAt: isoDate,
});

// 100 million EUR in cents: far above any real payment, well inside a safe integer.
const MAX_TOP_UP_CENTS = 10_000_000_000;

async function creditDto(ctx: AppContext, accountId: number): Promise<z.infer<typeof creditSchema>> {
  const [credit, ratesCents] = await Promise.all([
    getCreditBalance(ctx.db, accountId),
    creditRatesOf(ctx.db, accountId),
  ]);
  return { ...credit, ratesCents };
}

const toLedgerDto = (row: CreditLedgerRow): z.infer<typeof ledgerEntrySchema> => ({
  id: row.id,
  kind: row.kind,
  quantity: row.quantity,
  unitCents: row.unitCents,
  amountCents: row.amountCents,
  balanceAfterCents: row.balanceAfterCents,
  reference: row.reference,
  createdAt: iso(row.createdAt),
});

/**
 * Prepaid credit on the native API: members read the balance, rates and ledger; the operator
 * (platform token) records payments and sets an account's rates.
 */
export function registerNativeBillingRoutes(app: TypedApp, ctx: AppContext): void {
  app.get(
    '/v1/accounts/:accountId/credit',
    {
      schema: {
        tags,
        summary: "The account's prepaid credit and the rates it is charged",
        params: accountParams,
        response: { 200: creditSchema, ...commonErrors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId);
      return creditDto(ctx, access.accountId);
    },
  );

  app.get(
    '/v1/accounts/:accountId/credit/ledger',
    {
      schema: {
        tags,
        summary: "The account's credit movements, newest first (administrators)",
        params: accountParams,
        querystring: pageQuery,
        response: { 200: pageOf(ledgerEntrySchema), ...commonErrors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId, { isAdminOnly: true });
      const page = await listCreditLedger(ctx.db, access.accountId, {
        limit: request.query.limit,
        beforeId: request.query.cursor,
      });
      return { data: page.items.map(toLedgerDto), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/v1/accounts/:accountId/credit/top-ups',
    {
      schema: {
        tags,
        summary: 'Record a payment: adds credit (platform token; send an Idempotency-Key)',
        params: accountParams,
        body: z.object({
          amountCents: z.number().int().positive().max(MAX_TOP_UP_CENTS),
          reference: z.string().trim().min(1).max(200).describe('The payment, e.g. an invoice number'),
        }),
        response: { 201: creditSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      requirePlatform(request);
      const access = await accountAccess(ctx.db, request, request.params.accountId);
      await topUpCredit(ctx.db, { accountId: access.accountId, ...request.body });
      return reply.status(201).send(await creditDto(ctx, access.accountId));
    },
  );

  const limitCents = z.number().int().min(-MAX_TOP_UP_CENTS).max(MAX_TOP_UP_CENTS).nullable();
  app.put(
    '/v1/accounts/:accountId/credit/limits',
    {
      schema: {
        tags,
        summary: "Set the account's credit warning and shutdown limits (platform token)",
        params: accountParams,
        body: z.object({ warningLimitCents: limitCents, shutdownLimitCents: limitCents }),
        response: { 200: creditSchema, ...commonErrors },
      },
    },
    async (request) => {
      requirePlatform(request);
      const access = await accountAccess(ctx.db, request, request.params.accountId);
      await setCreditLimits(ctx.db, { accountId: access.accountId, ...request.body });
      return creditDto(ctx, access.accountId);
    },
  );

  app.put(
    '/v1/accounts/:accountId/credit/rates/:kind',
    {
      schema: {
        tags,
        summary: "Set the account's price for one kind of charge (platform token)",
        params: accountParams.extend({ kind: z.enum(chargeKinds) }),
        body: z.object({ unitCents: z.number().int().min(0).max(1_000_000) }),
        response: { 200: creditSchema, ...commonErrors },
      },
    },
    async (request) => {
      requirePlatform(request);
      const access = await accountAccess(ctx.db, request, request.params.accountId);
      await setCreditRate(ctx.db, {
        accountId: access.accountId,
        kind: request.params.kind,
        unitCents: request.body.unitCents,
      });
      return creditDto(ctx, access.accountId);
    },
  );
}
