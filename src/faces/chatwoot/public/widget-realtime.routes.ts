import type { FastifyRequest } from 'fastify';
import type { WebSocket } from '@fastify/websocket';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { DomainError } from '../../../platform/errors.js';
import type { AppContext } from '../../../platform/app-context.js';
import type { TypedApp } from '../../../platform/http/typed-app.js';
import type { RealtimeMessage } from '../../../platform/realtime/realtime-bus.js';
import { events } from '../../../platform/events/events.tables.js';
import { isClientConversation } from '../../../core/public-client/client-conversations.js';
import type { ClientContact } from '../../../core/public-client/client-contacts.js';
import { chatwootErrors } from '../admin-schemas.js';
import { clientOf, contactParams, PUBLIC_BASE } from './public-client.js';

// Idle proxies drop silent connections; a ping every 25 s keeps them open and finds dead peers.
const PING_INTERVAL_MS = 25_000;

export const WIDGET_REALTIME = `${PUBLIC_BASE}/contacts/:contact_identifier/realtime`;

/** What a visitor's socket is told: which conversation changed, never the change itself. */
export type WidgetSignal =
  | { type: 'connection.ready' }
  | { type: 'message.created' | 'message.updated'; conversation_id: number; message_id: number }
  | { type: 'conversation.status_changed'; conversation_id: number; status: string }
  | { type: 'conversation.typing_on' | 'conversation.typing_off'; conversation_id: number };

/** Only the fields the filter reads; anything else in the payload is ignored. */
const messagePayload = z.object({
  message: z.object({ id: z.number(), private: z.boolean() }),
  conversation: z.object({
    displayId: z.number(),
    contactInbox: z.object({ id: z.number() }).nullable(),
  }),
});
const conversationPayload = z.object({
  conversation: z.object({
    displayId: z.number(),
    status: z.string(),
    contactInbox: z.object({ id: z.number() }).nullable(),
  }),
});

/** A typing indicator (never stored, so it carries no contact inbox: ownership is looked up). */
const typingPayload = z.object({
  conversation: z.object({ id: z.number(), conversationId: z.number(), inboxId: z.number() }),
  performer: z.object({ type: z.string() }),
  isPrivate: z.boolean().optional(),
});

const admitted = new WeakMap<object, ClientContact>();

/**
 * The widget's real-time channel: a WebSocket per visitor, opened with the same credentials as the
 * rest of the client API (inbox identifier and the visitor's source id). It carries signals only
 * (`{type, conversation_id, message_id}`) for the visitor's own conversations in this inbox, and
 * never for private notes: the widget then reads the messages through the client API, which
 * already decides what a visitor may see. So nothing an agent-side event carries (emails,
 * private content, other contacts) can reach a visitor through this socket.
 */
export function registerWidgetRealtimeRoutes(app: TypedApp, ctx: AppContext): void {
  app.route({
    method: 'GET',
    url: WIDGET_REALTIME,
    config: { isPublic: true },
    // Checked before the upgrade: an unknown inbox or visitor is a plain HTTP 404.
    preHandler: async (request) => {
      admitted.set(request, await clientOf(ctx, request.params));
    },
    schema: {
      tags: ['Client API'],
      summary: "WebSocket: signals when the visitor's conversations change (the chat widget's)",
      params: contactParams,
      response: chatwootErrors,
    },
    wsHandler: (socket, request) => {
      streamSignals(socket, request);
    },
    handler: () => {
      throw new DomainError(
        'UPGRADE_REQUIRED',
        'This is a WebSocket endpoint: connect with an Upgrade request',
      );
    },
  });

  function streamSignals(socket: WebSocket, request: FastifyRequest): void {
    const client = admitted.get(request);
    if (!client) {
      socket.close(1011, 'The visitor was not established');
      return;
    }
    const send = (signal: WidgetSignal) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(signal));
    };
    // Whether a conversation is this visitor's, asked once per conversation (typing indicators
    // arrive many times a minute and name no contact).
    const ownership = new Map<number, Promise<boolean>>();
    const isOwn = (conversationId: number) => {
      let known = ownership.get(conversationId);
      if (!known) {
        known = isClientConversation(ctx.db, client, conversationId);
        ownership.set(conversationId, known);
      }
      return known;
    };
    const unsubscribe = ctx.bus.subscribe(client.inbox.accountId, async (message) => {
      const typing = agentTypingOf(client, message);
      if (typing) {
        if (await isOwn(typing.conversationId)) send(typing.signal);
        return;
      }
      const signal = signalFor(client, await fullPayload(ctx, message), message.type);
      if (signal) send(signal);
    });
    const ping = setInterval(() => socket.ping(), PING_INTERVAL_MS);
    socket.on('close', () => {
      clearInterval(ping);
      unsubscribe();
    });
    send({ type: 'connection.ready' });
  }
}

/** A payload too large for the broker arrives empty: read it from the outbox. */
async function fullPayload(ctx: AppContext, message: RealtimeMessage): Promise<unknown> {
  if (!message.truncated) return message.payload;
  const [row] = await ctx.db
    .select({ payload: events.payload })
    .from(events)
    .where(and(eq(events.accountId, message.accountId), eq(events.id, message.id)));
  return row?.payload;
}

/**
 * An agent's (or bot's) typing in a conversation of the visitor's inbox, as a signal; null for
 * anything else, for the contact's own typing, and for an agent typing a private note.
 */
export function agentTypingOf(
  client: ClientContact,
  message: RealtimeMessage,
): { conversationId: number; signal: WidgetSignal } | null {
  if (message.type !== 'conversation.typing_on' && message.type !== 'conversation.typing_off') return null;
  const parsed = typingPayload.safeParse(message.payload);
  if (!parsed.success) return null;
  const { conversation, performer, isPrivate } = parsed.data;
  if (performer.type === 'contact' || isPrivate || conversation.inboxId !== client.inbox.id) return null;
  return {
    conversationId: conversation.conversationId,
    signal: { type: message.type, conversation_id: conversation.id },
  };
}

/** The signal this event gives the visitor, or null when it is not about them (or is private). */
export function signalFor(client: ClientContact, payload: unknown, type: string): WidgetSignal | null {
  const ownAddress = client.contactInbox.id;
  if (type === 'message.created' || type === 'message.updated') {
    const parsed = messagePayload.safeParse(payload);
    if (!parsed.success) return null;
    const { message, conversation } = parsed.data;
    if (message.private || conversation.contactInbox?.id !== ownAddress) return null;
    return { type, conversation_id: conversation.displayId, message_id: message.id };
  }
  if (type === 'conversation.status_changed') {
    const parsed = conversationPayload.safeParse(payload);
    if (!parsed.success) return null;
    const { conversation } = parsed.data;
    if (conversation.contactInbox?.id !== ownAddress) return null;
    return { type, conversation_id: conversation.displayId, status: conversation.status };
  }
  return null;
}
