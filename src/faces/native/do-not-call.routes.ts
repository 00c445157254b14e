import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import {
  addDoNotCallNumbers,
  listDoNotCallNumbers,
  MAX_DO_NOT_CALL_NUMBERS,
  removeDoNotCallNumber,
  type DoNotCallEntry,
} from '../../core/dialer/do-not-call.js';
import { accountAccess } from '../shared/access.js';
import { accountParams, commonErrors, iso, isoDate } from './schemas.js';

const tags = ['dialer'];

const entrySchema = z.object({
  phoneNumber: z.string().describe('E.164, e.g. +33612345678'),
  reason: z.string(),
  createdAt: isoDate,
});

const addBody = z.object({
  numbers: z
    .array(z.string().min(1).max(40))
    .min(1)
    .max(MAX_DO_NOT_CALL_NUMBERS)
    .describe('Phone numbers in any common form (E.164 with or without "+", "00" prefix, separators)'),
  reason: z.string().max(500).optional(),
});

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z
    .string()
    .regex(/^\d{1,20}$/)
    .optional()
    .describe('The `nextCursor` of the previous page'),
});

const numberParams = accountParams.extend({ phoneNumber: z.string().min(1).max(40) });

function toDto(entry: DoNotCallEntry): z.infer<typeof entrySchema> {
  return { phoneNumber: entry.phoneNumber, reason: entry.reason, createdAt: iso(entry.createdAt) };
}

/**
 * The account's do-not-call list on the native API. Any member may read it (agents check a number
 * before a manual call); only administrators change it.
 */
export function registerNativeDoNotCallRoutes(app: TypedApp, ctx: AppContext): void {
  const base = '/v1/accounts/:accountId/do-not-call';

  app.post(
    base,
    {
      schema: {
        tags,
        summary: 'Add numbers to the do-not-call list (all or nothing; listed numbers stay as they were)',
        params: accountParams,
        body: addBody,
        response: {
          201: z.object({ added: z.array(entrySchema), alreadyListed: z.array(z.string()) }),
          ...commonErrors,
        },
      },
    },
    async (request, reply) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId, { isAdminOnly: true });
      const result = await addDoNotCallNumbers(ctx.db, {
        accountId: access.accountId,
        numbers: request.body.numbers,
        reason: request.body.reason,
      });
      return reply.status(201).send({ added: result.added.map(toDto), alreadyListed: result.alreadyListed });
    },
  );

  app.get(
    base,
    {
      schema: {
        tags,
        summary: 'List the do-not-call numbers, in number order',
        params: accountParams,
        querystring: listQuery,
        response: {
          200: z.object({ data: z.array(entrySchema), nextCursor: z.string().nullable() }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId);
      const page = await listDoNotCallNumbers(ctx.db, {
        accountId: access.accountId,
        after: request.query.cursor,
        limit: request.query.limit,
      });
      return { data: page.items.map(toDto), nextCursor: page.nextCursor };
    },
  );

  app.delete(
    `${base}/:phoneNumber`,
    {
      schema: {
        tags,
        summary: 'Remove a number from the do-not-call list (any form; "+" encoded as %2B)',
        params: numberParams,
        response: { 204: z.null(), ...commonErrors },
      },
    },
    async (request, reply) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId, { isAdminOnly: true });
      await removeDoNotCallNumber(ctx.db, access.accountId, request.params.phoneNumber);
      return reply.status(204).send(null);
    },
  );
}
