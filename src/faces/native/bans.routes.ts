import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { accountAccess } from '../shared/access.js';
import { accountParams, commonErrors, idParam, iso, isoDate, pageOf, pageQuery } from './schemas.js';
import { banContact, unbanContact } from '../../core/bans/ban-contact.js';
import { banIp, listBannedIps, unbanIp } from '../../core/bans/ban-ip.js';
import type { BannedIpRow } from '../../core/bans/bans.tables.js';

const tags = ['bans'];

const contactBanSchema = z.object({ contactId: z.number(), banned: z.boolean() });

const bannedIpSchema = z.object({
  ip: z.string(),
  bannedByUserId: z.number().nullable(),
  createdAt: isoDate,
});

const contactParams = accountParams.extend({ contactId: idParam });
const ipParams = accountParams.extend({ ip: z.string().min(2).max(64) });

function toBannedIpDto(row: BannedIpRow): z.infer<typeof bannedIpSchema> {
  return { ip: row.ipAddress, bannedByUserId: row.bannedByUserId, createdAt: iso(row.createdAt) };
}

/**
 * Banning end users and IP addresses (Dixa's agent bans). Any member of the account may ban,
 * as Dixa lets agents do; each change emits contact.banned / ip.banned and their reverses.
 */
export function registerBanRoutes(app: TypedApp, ctx: AppContext): void {
  const contactBan = `/v1/accounts/:accountId/contacts/:contactId/ban`;

  app.put(
    contactBan,
    {
      schema: {
        tags,
        summary: 'Ban a contact (end user): it is blocked and can no longer write in',
        params: contactParams,
        response: { 200: contactBanSchema, ...commonErrors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId);
      const contact = await banContact(ctx.db, {
        accountId: access.accountId,
        contactId: request.params.contactId,
        actor: access.actor,
      });
      return { contactId: contact.id, banned: contact.blocked };
    },
  );

  app.delete(
    contactBan,
    {
      schema: {
        tags,
        summary: "Lift a contact's ban",
        params: contactParams,
        response: { 200: contactBanSchema, ...commonErrors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId);
      const contact = await unbanContact(ctx.db, {
        accountId: access.accountId,
        contactId: request.params.contactId,
        actor: access.actor,
      });
      return { contactId: contact.id, banned: contact.blocked };
    },
  );

  app.get(
    '/v1/accounts/:accountId/banned-ips',
    {
      schema: {
        tags,
        summary: 'List the banned IP addresses',
        params: accountParams,
        querystring: pageQuery,
        response: { 200: pageOf(bannedIpSchema), ...commonErrors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId);
      const page = await listBannedIps(ctx.db, {
        accountId: access.accountId,
        afterId: request.query.cursor,
        limit: request.query.limit,
      });
      return { data: page.items.map(toBannedIpDto), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/v1/accounts/:accountId/banned-ips',
    {
      schema: {
        tags,
        summary: 'Ban an IP address: end users can no longer write in from it (403)',
        params: accountParams,
        body: z.object({ ip: z.string().min(2).max(64) }),
        response: { 201: bannedIpSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId);
      const row = await banIp(ctx.db, {
        accountId: access.accountId,
        ip: request.body.ip,
        actor: access.actor,
      });
      return reply.status(201).send(toBannedIpDto(row));
    },
  );

  app.delete(
    '/v1/accounts/:accountId/banned-ips/:ip',
    {
      schema: {
        tags,
        summary: 'Lift the ban of an IP address',
        params: ipParams,
        response: { 204: z.null(), ...commonErrors },
      },
    },
    async (request, reply) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId);
      await unbanIp(ctx.db, { accountId: access.accountId, ip: request.params.ip, actor: access.actor });
      return reply.status(204).send(null);
    },
  );
}
