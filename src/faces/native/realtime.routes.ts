import type { FastifyRequest } from 'fastify';
import type { WebSocket } from '@fastify/websocket';
import { z } from 'zod';
import { DomainError } from '../../platform/errors.js';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { accountAccess } from '../shared/access.js';
import { accountParams } from './schemas.js';
import type { AccountAccess } from '../../core/identity/principal.js';
import { createPresenceTracker } from '../../core/presence/presence.js';
import { findEndedAccess, isAccessEndedBy } from '../../core/identity/access-revocations.js';
import { createSocketGuard } from '../../platform/realtime/socket-guard.js';

// Idle proxies drop silent connections; a ping every 25 s keeps them open and finds dead peers.
const PING_INTERVAL_MS = 25_000;

/**
 * Pushes the account's domain events to a connected agent as JSON text frames
 * (`{id, accountId, type, occurredAt, payload}`). Browsers cannot set headers on a WebSocket, so the
 * token may also come as `?access_token=`, or as the web app's session cookie, which the face's
 * credential hook accepts on an upgrade only from this server's own Origin (session-cookie.ts).
 */
const admitted = new WeakMap<object, AccountAccess>();

export function registerRealtimeRoutes(app: TypedApp, ctx: AppContext): void {
  const presence = createPresenceTracker({ db: ctx.db, logger: ctx.logger });
  // Each socket keeps the credential it was admitted with; revoking it closes the socket (4401).
  const guard = createSocketGuard<AccountAccess>({
    bus: ctx.bus,
    isEndedBy: isAccessEndedBy,
    findEnded: (accesses) => findEndedAccess(ctx.db, accesses, app.tokenPolicy),
    recheckIntervalMs: ctx.config.PARLEY_REALTIME_RECHECK_MS,
    onError: (error) => ctx.logger.warn({ err: error }, 'real-time access re-check failed'),
  });
  app.addHook('onClose', (_instance, done) => {
    guard.close();
    done();
  });
  app.route({
    method: 'GET',
    url: '/v1/accounts/:accountId/realtime',
    config: { acceptsQueryToken: true },
    // Checked before the upgrade, so another account's stream is refused with a plain HTTP 404.
    preHandler: async (request) => {
      const { accountId } = request.params;
      admitted.set(request, await accountAccess(ctx.db, request, accountId));
    },
    schema: {
      tags: ['realtime'],
      summary: "WebSocket: the account's events as they happen",
      params: accountParams,
      querystring: z.object({ access_token: z.string().optional() }),
    },
    wsHandler: (socket, request) => {
      streamEvents(socket, request);
    },
    handler: () => {
      // A plain GET (no Upgrade) is a client's mistake: say so in the API's error body, not a bare 404.
      throw new DomainError(
        'UPGRADE_REQUIRED',
        'This is a WebSocket endpoint: connect with an Upgrade request',
      );
    },
  });

  function streamEvents(socket: WebSocket, request: FastifyRequest): void {
    const access = admitted.get(request);
    if (!access) {
      socket.close(1011, 'Account access was not established');
      return;
    }
    const admission = guard.admit(access, socket);
    const unsubscribe = ctx.bus.subscribe(access.accountId, (message) => {
      // Nothing more once access ends, even while a slow peer has not finished closing.
      if (admission.isRevoked || socket.readyState !== socket.OPEN) return;
      socket.send(
        JSON.stringify({
          id: message.id,
          accountId: message.accountId,
          type: message.type,
          occurredAt: message.occurredAt,
          payload: message.payload,
          ...(message.truncated && { truncated: true }),
        }),
      );
    });
    const ping = setInterval(() => socket.ping(), PING_INTERVAL_MS);
    // Only a person has presence; API keys and bots connect without changing availability.
    const agentId = access.principal.kind === 'user' ? access.principal.userId : null;
    if (agentId !== null) presence.connected(access.accountId, agentId);
    socket.on('close', () => {
      clearInterval(ping);
      unsubscribe();
      admission.release();
      if (agentId !== null) presence.disconnected(access.accountId, agentId);
    });
    if (!admission.isRevoked) {
      socket.send(JSON.stringify({ type: 'connection.ready', accountId: access.accountId }));
    }
  }
}
