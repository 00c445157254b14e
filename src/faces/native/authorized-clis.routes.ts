import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { authorizedCliTypes, type AuthorizedCliRow } from '../../core/voice-apps/authorized-clis.tables.js';
import { authorizeCli, listAuthorizedClis, revokeCli } from '../../core/voice-apps/authorized-clis.js';
import { accountAccess, requirePlatform } from '../shared/access.js';
import { accountParams, commonErrors, iso, isoDate } from './schemas.js';

const tags = ['voice apps'];

const cliSchema = z.object({
  id: z.number(),
  type: z.enum(authorizedCliTypes),
  cli: z.string(),
  label: z.string(),
  comment: z.string(),
  createdAt: isoDate,
});

const toDto = (row: AuthorizedCliRow): z.infer<typeof cliSchema> => ({
  id: row.id,
  type: row.type,
  cli: row.cli,
  label: row.label,
  comment: row.comment,
  createdAt: iso(row.createdAt),
});

const typeQuery = z.object({ type: z.enum(authorizedCliTypes) });

/**
 * The CLIs an account may present beyond its own numbers (CALLR's `apps.get_authorized_clis`):
 * the operator, having checked the account owns a number or sender name, authorizes it (platform
 * token); the account reads the list.
 */
export function registerNativeAuthorizedCliRoutes(app: TypedApp, ctx: AppContext): void {
  app.get(
    '/v1/accounts/:accountId/authorized-clis',
    {
      schema: {
        tags,
        summary: "The account's authorized CLIs of one type, in the order they were added",
        params: accountParams,
        querystring: typeQuery,
        response: { 200: z.object({ data: z.array(cliSchema) }), ...commonErrors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId);
      const rows = await listAuthorizedClis(ctx.db, access.accountId, request.query.type);
      return { data: rows.map(toDto) };
    },
  );

  app.put(
    '/v1/accounts/:accountId/authorized-clis',
    {
      schema: {
        tags,
        summary: 'Authorize a CLI for the account, or relabel it (platform token)',
        params: accountParams,
        body: z.object({
          type: z.enum(authorizedCliTypes),
          cli: z
            .string()
            .max(40)
            .describe('E.164; for SMS also an alphanumeric sender of 3 to 11 characters'),
          label: z.string().max(200).optional(),
          comment: z.string().max(1000).optional(),
        }),
        response: { 200: cliSchema, ...commonErrors },
      },
    },
    async (request) => {
      requirePlatform(request);
      const access = await accountAccess(ctx.db, request, request.params.accountId);
      return toDto(await authorizeCli(ctx.db, { accountId: access.accountId, ...request.body }));
    },
  );

  app.delete(
    '/v1/accounts/:accountId/authorized-clis',
    {
      schema: {
        tags,
        summary: 'Withdraw an authorized CLI (platform token)',
        params: accountParams,
        querystring: typeQuery.extend({ cli: z.string().max(40) }),
        response: { 204: z.null(), ...commonErrors },
      },
    },
    async (request, reply) => {
      requirePlatform(request);
      const access = await accountAccess(ctx.db, request, request.params.accountId);
      await revokeCli(ctx.db, access.accountId, request.query.type, request.query.cli);
      return reply.status(204).send(null);
    },
  );
}
