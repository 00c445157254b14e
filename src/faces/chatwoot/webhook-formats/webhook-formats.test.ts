import { describe, expect, it } from 'vitest';
import type { EventRow } from '../../../platform/events/events.tables.js';
import type { BlobStorage } from '../../../platform/storage/blob-storage.js';
import type { WebhookSubscriptionRow } from '../../../core/webhooks/webhooks.tables.js';
import type { ContactSnapshot } from '../../../core/contacts/contacts.events.js';
import type {
  ConversationSnapshot,
  MessageSnapshot,
} from '../../../core/conversations/conversations.events.js';
import { createChatwootWebhookFormats } from './index.js';
import { chatwootSignature, verifyChatwootSignature } from './signature.js';

const storage = {
  signedUrl: (key: string) => `https://files.example/${key}?sig=x`,
} as unknown as BlobStorage;
const [accountFormat, apiInboxFormat, agentBotFormat] = createChatwootWebhookFormats(storage);

const contact: ContactSnapshot = {
  id: 7,
  accountId: 1,
  name: 'Ada',
  email: 'ada@example.com',
  phoneNumber: '+15550001',
  identifier: 'ada-1',
  avatarUrl: null,
  blocked: false,
  contactType: 'lead',
  additionalAttributes: {},
  customAttributes: { plan: 'pro' },
  labels: [],
  lastActivityAt: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

const conversation: ConversationSnapshot = {
  id: 100,
  displayId: 3,
  uuid: '00000000-0000-0000-0000-000000000001',
  accountId: 1,
  inboxId: 10,
  inbox: { id: 10, name: 'API', channelType: 'api' },
  contact,
  contactInbox: { id: 5, sourceId: 'src-1' },
  status: 'resolved',
  snoozedUntil: null,
  priority: null,
  assigneeId: 2,
  assignee: {
    id: 2,
    name: 'Agent',
    displayName: null,
    email: 'agent@example.com',
    avatarUrl: null,
    availability: 'online',
  },
  teamId: null,
  team: null,
  labels: ['vip'],
  customAttributes: {},
  additionalAttributes: {},
  muted: false,
  unreadCount: 0,
  agentLastSeenAt: null,
  assigneeLastSeenAt: null,
  contactLastSeenAt: null,
  firstReplyCreatedAt: null,
  waitingSince: null,
  lastActivityAt: '2026-01-02T00:00:00.000Z',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-02T00:00:00.500Z',
};

function message(overrides: Partial<MessageSnapshot> = {}): MessageSnapshot {
  return {
    id: 900,
    accountId: 1,
    conversationId: 100,
    conversationDisplayId: 3,
    inboxId: 10,
    messageType: 'incoming',
    content: 'hello',
    contentType: 'text',
    contentAttributes: {},
    private: false,
    status: 'sent',
    sourceId: null,
    echoId: null,
    senderType: 'contact',
    senderId: 7,
    sender: { type: 'contact', id: 7, name: 'Ada', email: 'ada@example.com', avatarUrl: null, contact },
    externalSourceIds: {},
    additionalAttributes: {},
    attachments: [],
    deleted: false,
    createdAt: '2026-01-02T00:00:00.000Z',
    updatedAt: '2026-01-02T00:00:00.000Z',
    ...overrides,
  };
}

function event(type: string, payload: Record<string, unknown>): EventRow {
  return {
    accountId: 1,
    id: 1,
    type,
    version: 1,
    aggregateType: type.split('.')[0] ?? 'x',
    aggregateId: '1',
    actor: null,
    payload,
    occurredAt: new Date(),
    dispatchedAt: null,
  };
}

function subscription(format: string, options: Record<string, unknown> = {}): WebhookSubscriptionRow {
  return {
    accountId: 1,
    id: 1,
    uuid: '00000000-0000-4000-8000-000000000001',
    format,
    name: null,
    url: 'http://127.0.0.1/hook',
    events: [],
    enabled: true,
    secret: 'secret',
    signatureAlgorithm: 'sha256',
    options: { ...options },
    disabledReason: null,
    disabledAt: null,
    failingSince: null,
    consecutiveFailures: 0,
    secretsSealed: false,
    circuitOpenUntil: null,
    createdAt: new Date(),
    updatedAt: new Date(),
  };
}

/** The engine hands formats the account; here it is always Acme. */
function renderIn(format: typeof accountFormat, row: EventRow, sub: WebhookSubscriptionRow) {
  return format!.render(row, sub, { account: { id: row.accountId, name: 'Acme' } });
}

function renderJson(format: typeof accountFormat, row: EventRow, sub: WebhookSubscriptionRow) {
  const rendered = renderIn(format, row, sub);
  return rendered
    ? { eventType: rendered.eventType, body: JSON.parse(rendered.body) as Record<string, unknown> }
    : null;
}

describe('Chatwoot webhook formats', () => {
  it('renders message_created as Chatwoot sends it', () => {
    const rendered = renderJson(
      accountFormat,
      event('message.created', {
        message: message({
          attachments: [
            {
              id: 1,
              fileType: 'image',
              fileName: 'a.png',
              contentType: 'image/png',
              byteSize: 10,
              blobKey: 'k/a.png',
              externalUrl: null,
              coordinates: null,
            },
          ],
        }),
        conversation,
      }),
      subscription('chatwoot'),
    );

    expect(rendered?.eventType).toBe('message_created');
    const body = rendered!.body;
    expect(body).toMatchObject({
      event: 'message_created',
      id: 900,
      content: 'hello',
      content_type: 'text',
      message_type: 'incoming',
      private: false,
      account: { id: 1, name: 'Acme' },
      inbox: { id: 10, name: 'API' },
      sender: { id: 7, name: 'Ada', email: 'ada@example.com' },
      created_at: '2026-01-02T00:00:00.000Z',
      attachments: [
        { id: 1, file_type: 'image', extension: 'png', data_url: 'https://files.example/k/a.png?sig=x' },
      ],
    });
    expect(body.conversation).toMatchObject({
      id: 3,
      inbox_id: 10,
      status: 'resolved',
      channel: 'Channel::Api',
      labels: ['vip'],
      created_at: 1767225600,
      meta: { sender: { id: 7, type: 'contact' }, assignee: { id: 2, type: 'user' } },
    });
  });

  it('renders changed_attributes as a list of {attr: {previous_value, current_value}}', () => {
    const rendered = renderJson(
      accountFormat,
      event('conversation.status_changed', { conversation, previousStatus: 'open' }),
      subscription('chatwoot'),
    );

    expect(rendered?.eventType).toBe('conversation_status_changed');
    expect(rendered?.body.changed_attributes).toEqual([
      { status: { previous_value: 'open', current_value: 'resolved' } },
    ]);
  });

  it('skips activity messages and contact updates without changes', () => {
    const activity = event('message.created', {
      message: message({ messageType: 'activity' }),
      conversation,
    });
    const noChange = event('contact.updated', { contact, changes: {} });

    expect(renderIn(accountFormat, activity, subscription('chatwoot'))).toBeNull();
    expect(renderIn(accountFormat, noChange, subscription('chatwoot'))).toBeNull();
  });

  it('sends an API inbox only the events of its own inbox', () => {
    const created = event('message.created', { message: message(), conversation });

    expect(
      renderIn(apiInboxFormat, created, subscription('chatwoot_api_inbox', { inboxId: 10 }))?.eventType,
    ).toBe('message_created');
    expect(renderIn(apiInboxFormat, created, subscription('chatwoot_api_inbox', { inboxId: 11 }))).toBeNull();
    expect(
      renderIn(
        apiInboxFormat,
        event('contact.created', { contact }),
        subscription('chatwoot_api_inbox', { inboxId: 10 }),
      ),
    ).toBeNull();
  });

  it("gives an agent bot conversation_resolved and other senders' messages, never its own", () => {
    const bot = subscription('chatwoot_agent_bot', { agentBotId: 4, inboxIds: [10] });
    const own = message({
      messageType: 'outgoing',
      senderType: 'agent_bot',
      senderId: 4,
      sender: { type: 'agent_bot', id: 4, name: 'Bot', email: null, avatarUrl: null, contact: null },
    });

    expect(
      renderIn(agentBotFormat, event('message.created', { message: message(), conversation }), bot)
        ?.eventType,
    ).toBe('message_created');
    expect(
      renderIn(agentBotFormat, event('message.created', { message: own, conversation }), bot),
    ).toBeNull();
    expect(
      renderIn(
        agentBotFormat,
        event('conversation.status_changed', { conversation, previousStatus: 'open' }),
        bot,
      )?.eventType,
    ).toBe('conversation_resolved');
    expect(renderIn(agentBotFormat, event('conversation.created', { conversation }), bot)).toBeNull();
    expect(
      renderIn(
        agentBotFormat,
        event('message.created', { message: message(), conversation }),
        subscription('chatwoot_agent_bot', { agentBotId: 4, inboxIds: [99] }),
      ),
    ).toBeNull();
  });

  it('signs sha256=HMAC(secret, "timestamp.body") in X-Chatwoot-Signature', () => {
    const signed = accountFormat!.sign({
      deliveryId: 'd-1',
      eventType: 'message_created',
      body: '{"a":1}',
      subscription: subscription('chatwoot'),
      timestampSeconds: 1_700_000_000,
    });

    expect(signed.headers).toEqual({
      'x-chatwoot-signature': chatwootSignature('secret', 1_700_000_000, '{"a":1}'),
      'x-chatwoot-timestamp': '1700000000',
      'x-chatwoot-delivery': 'd-1',
    });
    expect(signed.headers['x-chatwoot-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    const input = {
      signature: signed.headers['x-chatwoot-signature']!,
      timestamp: '1700000000',
      body: '{"a":1}',
    };
    expect(verifyChatwootSignature('secret', input, { nowSeconds: 1_700_000_010 })).toBe(true);
    expect(verifyChatwootSignature('other', input, { nowSeconds: 1_700_000_010 })).toBe(false);
    expect(
      verifyChatwootSignature('secret', { ...input, body: '{"a":2}' }, { nowSeconds: 1_700_000_010 }),
    ).toBe(false);
  });
});
