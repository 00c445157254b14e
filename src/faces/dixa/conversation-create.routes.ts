import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import type { ConversationChannel } from '../../core/conversations/conversation-channels.js';
import type { ConversationMessageInput } from '../../core/conversations/conversation-message-input.js';
import { findChannelInbox } from '../../core/conversations/channel-inboxes.js';
import { findContactByUuid } from '../../core/conversations/conversation-participants.js';
import { openConversation } from '../../core/conversations/open-conversation.js';
import { findQueue } from '../../core/routing/queues.js';
import { dixaAccess } from './access.js';
import { dataOf } from './schemas.js';
import {
  createConversationInputSchema,
  type CreateConversationInput,
  type CreateMessageInput,
} from './conversation-input.js';
import { agentOf, errors, invalidField, tags } from './conversation-lookup.js';

const channelOfInput: Record<CreateConversationInput['_type'], ConversationChannel> = {
  Email: 'Email',
  ContactForm: 'ContactForm',
  Chat: 'WidgetChat',
  Sms: 'Sms',
  Callback: 'Callback',
};

/** The body field that names the inbox the conversation arrives in. */
function inboxReferenceOf(body: CreateConversationInput): { field: string; value: string } {
  switch (body._type) {
    case 'Email':
    case 'ContactForm':
      return { field: 'emailIntegrationId', value: body.emailIntegrationId };
    case 'Chat':
      return { field: 'widgetId', value: body.widgetId };
    case 'Sms':
    case 'Callback':
      return { field: 'contactEndpointId', value: body.contactEndpointId };
  }
}

/** A Dixa message input in core terms; an outbound author must be an agent of the account. */
export async function toMessageInput(
  ctx: AppContext,
  accountId: number,
  message: CreateMessageInput,
  field: string,
): Promise<ConversationMessageInput> {
  return {
    direction: message._type === 'Inbound' ? 'inbound' : 'outbound',
    agentId:
      message._type === 'Outbound' ? await agentOf(ctx, accountId, `${field}agentId`, message.agentId) : null,
    content: message.content.value,
    format: message.content._type === 'Html' ? 'html' : 'text',
    externalId: message.externalId ?? null,
    attachments: (message.attachments ?? []).map((file) => ({
      url: file.url,
      name: file.prettyName ?? null,
    })),
  };
}

/** Chatwoot's keys for the visitor's browser, so both faces show the same facts. */
function browserAttributes(body: CreateConversationInput): Record<string, unknown> {
  if (body._type !== 'Chat' || !body.browserInfo) return {};
  const { name, version, ipAddress, originatingUrl } = body.browserInfo;
  return {
    browser: { browser_name: name, ...(version !== undefined && { browser_version: version }) },
    ...(originatingUrl !== undefined && { referer: originatingUrl }),
    ...(ipAddress !== undefined && { remote_ip: ipAddress }),
  };
}

/** POST /v1/conversations: a conversation on one channel, with its first message. */
export function registerDixaConversationCreateRoutes(app: TypedApp, ctx: AppContext): void {
  app.post(
    '/v1/conversations',
    {
      schema: {
        tags,
        summary: 'Create a conversation (Email, ContactForm, Chat, Sms or Callback)',
        body: createConversationInputSchema,
        response: { 201: z.object({ data: z.object({ id: z.number().int() }) }), ...errors },
      },
    },
    async (request, reply) => {
      const access = await dixaAccess(ctx, request);
      const { accountId } = access;
      const body = request.body;
      const requester = await findContactByUuid(ctx.db, accountId, body.requesterId);
      if (!requester) throw invalidField('requesterId', 'is not an end user of this organization');
      const channel = channelOfInput[body._type];
      const reference = inboxReferenceOf(body);
      const inbox = await findChannelInbox(ctx.db, accountId, channel, reference.value);
      if (!inbox) throw invalidField(reference.field, `names no ${channel} channel of this organization`);
      const queue = body._type === 'Callback' ? await findQueue(ctx.db, accountId, body.queueId) : null;
      if (body._type === 'Callback' && !queue)
        throw invalidField('queueId', 'is not a queue of this organization');
      const firstMessage =
        body._type === 'Callback' ? null : await toMessageInput(ctx, accountId, body.message, 'message.');
      const isOutbound =
        body._type === 'Callback' ? body.direction === 'Outbound' : firstMessage?.direction === 'outbound';
      const { conversation } = await ctx.db.transaction((tx) =>
        openConversation(tx, {
          accountId,
          inboxId: inbox.id,
          contactId: requester.id,
          channel,
          direction: isOutbound ? 'outbound' : 'inbound',
          subject: 'subject' in body ? body.subject : null,
          language: 'language' in body ? (body.language ?? null) : null,
          additionalAttributes: browserAttributes(body),
          firstMessage,
          queue,
          actor: access.actor,
        }),
      );
      return reply.status(201).send(dataOf({ id: conversation.displayId }));
    },
  );
}
