import type { AppContext } from '../../../platform/app-context.js';
import type { TypedApp } from '../../../platform/http/typed-app.js';
import { assertIpNotBanned } from '../../../core/bans/ban-ip.js';
import { findInboxByIdentifier } from '../../../core/inboxes/inboxes.js';
import { PUBLIC_BASE } from './public-client.js';

const writeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * End users write in through the client API (and the widget, which uses it): a write from an
 * IP address the inbox's account has banned is refused with 403 before the route runs. Reads
 * stay open, so a banned visitor's widget still loads and shows why it cannot send.
 */
export function refuseBannedIps(app: TypedApp, ctx: AppContext): void {
  app.addHook('preHandler', async (request) => {
    if (!writeMethods.has(request.method)) return;
    if (!request.routeOptions.url?.includes(PUBLIC_BASE)) return;
    const { inbox_identifier: identifier } = request.params as { inbox_identifier?: unknown };
    if (typeof identifier !== 'string') return;
    const inbox = await findInboxByIdentifier(ctx.db, identifier);
    // An unknown inbox is the route's own 404 to give.
    if (!inbox) return;
    await assertIpNotBanned(ctx.db, inbox.accountId, request.ip);
  });
}
