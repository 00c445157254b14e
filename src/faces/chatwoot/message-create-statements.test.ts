import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from 'drizzle-orm';
import { createTestApp, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import {
  chatwootClient,
  conversationRowOf,
  openConversation,
  seedAgent,
  seedContact,
  seedInbox,
  type ChatwootClient,
} from './conversations.test-kit.js';

/**
 * Posting a message is the hottest write on the Chatwoot face; its cost is the number of
 * statements it sends (issue 12 §3). These ceilings fail a change that adds a round trip.
 */

/** Every statement Drizzle sends, including those inside transactions (BEGIN/COMMIT are not). */
function captureStatements(app: TestApp) {
  let captured: string[] | null = null;
  const logger: Logger = {
    logQuery(query) {
      captured?.push(query.replace(/\s+/g, ' '));
    },
  };
  // Transactions copy the root session's options, so both hooks are needed.
  const session = (
    app.parley.ctx.db as unknown as { session: { logger: Logger; options: { logger?: Logger } } }
  ).session;
  session.logger = logger;
  session.options.logger = logger;
  return async (action: () => Promise<unknown>): Promise<string[]> => {
    captured = [];
    try {
      await action();
      return captured;
    } finally {
      captured = null;
    }
  };
}

let app: TestApp;
let accountId: number;
let admin: ChatwootClient;
let asAgent: ChatwootClient;
let inboxId: number;
let contactId: number;
let statementsOf: ReturnType<typeof captureStatements>;

beforeAll(async () => {
  app = await createTestApp();
  const seeded = await seedAccount(app, 'Acme');
  accountId = seeded.accountId;
  admin = chatwootClient(app, seeded.apiKey);
  const agent = await seedAgent(app, accountId, { name: 'Alice' });
  asAgent = chatwootClient(app, agent.token);
  inboxId = await seedInbox(app, accountId, { memberIds: [agent.userId] });
  contactId = await seedContact(app, accountId, { name: 'Jane Doe' });
  statementsOf = captureStatements(app);
});

afterAll(async () => {
  await app.close();
});

async function post(client: ChatwootClient, displayId: number, body: Record<string, unknown>) {
  const response = await client.post(
    `/api/v1/accounts/${accountId}/conversations/${displayId}/messages`,
    body,
  );
  expect(response.statusCode, response.body).toBe(200);
}

/**
 * The ceilings per caller (BEGIN and COMMIT not counted). Each is the caller's auth lookup (an
 * API key: 1, on a node that does not keep keys; an agent's token and membership: 2) and the
 * conversation read with its relations (for the event) and the message's id. Then an agent's or
 * an API key's reply is a user sender's read (beside it) and one statement that updates the
 * conversation, inserts the message and records the event (createMessageIfUnchanged); an incoming
 * message is written under the lock: the message INSERT, the conversation UPDATE, the contact's
 * UPDATE and the event INSERT. The same on both backends.
 */
describe(`statements of one message create (${backendName})`, () => {
  it.each([
    [
      'an API key reply',
      3,
      () => admin,
      { content: 'Thanks, we are looking into it.', message_type: 'outgoing' },
    ],
    ['an agent reply', 5, () => asAgent, { content: 'Hi Jane', message_type: 'outgoing' }],
    ['an incoming message', 6, () => admin, { content: 'Hello?', message_type: 'incoming' }],
  ] as const)('%s takes at most %i statements', async (_name, ceiling, client, body) => {
    const displayId = await openConversation(admin, accountId, { inbox_id: inboxId, contact_id: contactId });
    await post(client(), displayId, body); // a conversation's first message is not the common case

    const statements = await statementsOf(() => post(client(), displayId, body));

    if (process.env.SHOW_SQL) console.log(statements.join('\n'));
    // The capture saw the request's writes, so a count of nothing cannot pass for a good one.
    expect(statements.filter((text) => text.includes('insert into "messages"'))).toHaveLength(1);
    expect(statements.filter((text) => text.includes('insert into "events"'))).toHaveLength(1);
    expect(statements.length).toBeLessThanOrEqual(ceiling);
  });
});

/**
 * Replies are written without a lock, from the conversation as read; a contact's messages are
 * written under it. Sent at once to one conversation, every message must count: a reply written
 * from a read that an incoming message overtook would put the unread count back.
 */
describe(`messages sent at once to one conversation (${backendName})`, () => {
  it('stores every message and loses no count', async () => {
    const displayId = await openConversation(admin, accountId, { inbox_id: inboxId, contact_id: contactId });
    const before = await conversationRowOf(app, accountId, displayId);
    const bodies = Array.from({ length: 8 }, (_, index) => [
      { content: `Reply ${index}`, message_type: 'outgoing' },
      { content: `Question ${index}`, message_type: 'incoming' },
    ]).flat();
    await Promise.all(bodies.map((body) => post(admin, displayId, body)));

    const after = await conversationRowOf(app, accountId, displayId);
    expect(after.unreadCount).toBe(before.unreadCount + 8);
    const page = await admin.get(`/api/v1/accounts/${accountId}/conversations/${displayId}/messages`);
    const contents = page
      .json<{ payload: { id: number; content: string }[] }>()
      .payload.map((message) => message.content);
    expect(contents.filter((content) => /^(Reply|Question) \d$/.test(content)).sort()).toEqual(
      bodies.map((body) => body.content).sort(),
    );
    const ids = page.json<{ payload: { id: number }[] }>().payload.map((message) => message.id);
    expect(after.lastNonActivityMessageId).toBe(Math.max(...ids));
  });
});
