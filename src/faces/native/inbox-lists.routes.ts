import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { isAdministrator, type AccountAccess } from '../../core/identity/principal.js';
import { listInboxes, listInboxesByIds, listInboxIdsOfMember } from '../../core/inboxes/inboxes.js';
import { channelTypes } from '../../core/inboxes/inboxes.tables.js';
import { listTeams } from '../../core/teams/teams.js';
import { listLabels } from '../../core/labels/index.js';
import { listCannedResponses } from '../../core/canned-responses/canned-responses.js';
import { accountAccess } from '../shared/access.js';
import { accountParams, commonErrors } from './schemas.js';

const listOf = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item) });

/** Administrators and account keys see every inbox; agents the ones they answer (as in Chatwoot). */
async function visibleInboxes(ctx: AppContext, access: AccountAccess) {
  if (isAdministrator(access) || access.principal.kind !== 'user') {
    return listInboxes(ctx.db, access.accountId);
  }
  const ids = await listInboxIdsOfMember(ctx.db, access.accountId, access.principal.userId);
  return listInboxesByIds(ctx.db, access.accountId, ids);
}

/**
 * The small catalogues the inbox's filters and reply box pick from: inboxes, teams, labels,
 * canned responses. Each is a few hundred rows at most, so they come whole, without pages.
 */
export function registerNativeInboxListRoutes(app: TypedApp, ctx: AppContext): void {
  const base = '/v1/accounts/:accountId';
  const tags = ['inbox'];
  const access = (request: Parameters<typeof accountAccess>[1], accountId: number) =>
    accountAccess(ctx.db, request, accountId);

  app.get(
    `${base}/inboxes`,
    {
      schema: {
        tags,
        summary: 'The inboxes the caller answers (administrators: all)',
        params: accountParams,
        response: {
          200: listOf(z.object({ id: z.number(), name: z.string(), channelType: z.enum(channelTypes) })),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const rows = await visibleInboxes(ctx, await access(request, request.params.accountId));
      return { data: rows.map((row) => ({ id: row.id, name: row.name, channelType: row.channelType })) };
    },
  );

  app.get(
    `${base}/teams`,
    {
      schema: {
        tags,
        summary: "The account's teams",
        params: accountParams,
        response: { 200: listOf(z.object({ id: z.number(), name: z.string() })), ...commonErrors },
      },
    },
    async (request) => {
      const { accountId } = await access(request, request.params.accountId);
      const rows = await listTeams(ctx.db, accountId);
      return { data: rows.map((row) => ({ id: row.id, name: row.name })) };
    },
  );

  app.get(
    `${base}/labels`,
    {
      schema: {
        tags,
        summary: "The account's active labels; `title` is what conversations carry in `labels`",
        params: accountParams,
        response: {
          200: listOf(z.object({ id: z.number(), title: z.string(), color: z.string().nullable() })),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const { accountId } = await access(request, request.params.accountId);
      const rows = await listLabels(ctx.db, accountId);
      return {
        data: rows
          .filter((row) => row.state === 'active')
          .map((row) => ({ id: row.id, title: row.name, color: row.color })),
      };
    },
  );

  app.get(
    `${base}/canned-responses`,
    {
      schema: {
        tags,
        summary: 'Canned responses; `q` matches short code or content, short-code matches first',
        params: accountParams,
        querystring: z.object({ q: z.string().max(200).optional() }),
        response: {
          200: listOf(z.object({ id: z.number(), shortCode: z.string(), content: z.string() })),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const { accountId } = await access(request, request.params.accountId);
      const rows = await listCannedResponses(ctx.db, accountId, request.query.q?.trim() || undefined);
      return { data: rows.map((row) => ({ id: row.id, shortCode: row.shortCode, content: row.content })) };
    },
  );
}
