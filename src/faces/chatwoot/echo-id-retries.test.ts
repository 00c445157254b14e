import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { chatwootClient, openConversation, seedContact, seedInbox } from './conversations.test-kit.js';

/**
 * A client that lost its connection retries with the same echo_id, possibly while the first
 * request is still running (the sequential retry is covered in messages.test.ts).
 */
describe(`Chatwoot echo_id under concurrent retries (${backendName})`, () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('stores one message and answers every concurrent retry with it', async () => {
    const { accountId, apiKey } = await seedAccount(app, 'Echo');
    const client = chatwootClient(app, apiKey);
    const inboxId = await seedInbox(app, accountId);
    const contactId = await seedContact(app, accountId);
    const displayId = await openConversation(client, accountId, { inbox_id: inboxId, contact_id: contactId });
    const url = `/api/v1/accounts/${accountId}/conversations/${displayId}/messages`;

    const answers = await Promise.all(
      Array.from({ length: 4 }, () => client.post(url, { content: 'sent once', echo_id: 'retry-1' })),
    );
    const listed = await client.get(url);

    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200, 200, 200]);
    expect(new Set(answers.map((answer) => answer.json<{ id: number }>().id)).size).toBe(1);
    const stored = listed.json<{ payload: { content: string }[] }>().payload;
    expect(stored.filter((message) => message.content === 'sent once')).toHaveLength(1);
  });
});
