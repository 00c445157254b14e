import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { events } from '../../platform/events/events.tables.js';
import { conversationRatings } from '../../core/conversations/conversation-ratings.tables.js';
import { chatwootClient, openConversation, seedContact, seedInbox } from './conversations.test-kit.js';

describe(`Chatwoot CSAT survey page (${backendName})`, () => {
  let app: TestApp;
  let inject: ReturnType<typeof injector>;
  let account: { accountId: number; apiKey: string };

  beforeAll(async () => {
    app = await createTestApp();
    inject = injector(app);
    account = await seedAccount(app, 'Acme Support');
  });
  afterAll(async () => {
    await app.close();
  });

  /** A fresh conversation: its display id and the UUID its survey link carries. */
  async function conversation(): Promise<{ displayId: number; uuid: string }> {
    const client = chatwootClient(app, account.apiKey);
    const inboxId = await seedInbox(app, account.accountId);
    const contactId = await seedContact(app, account.accountId);
    const displayId = await openConversation(client, account.accountId, {
      inbox_id: inboxId,
      contact_id: contactId,
    });
    const shown = await client.get(`/api/v1/accounts/${account.accountId}/conversations/${displayId}`);
    return { displayId, uuid: shown.json<{ uuid: string }>().uuid };
  }

  const survey = (uuid: string) => `/chatwoot/survey/responses/${uuid}`;
  const answer = (uuid: string, form: string) =>
    inject({
      method: 'POST',
      url: survey(uuid),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form,
    });

  async function ratingsOf(displayId: number) {
    const response = await inject({
      method: 'GET',
      url: `/dixa/v1/conversations/${displayId}/rating`,
      headers: { authorization: account.apiKey },
    });
    expect(response.statusCode).toBe(200);
    return response.json<{ data: { ratingScore?: number; ratingComment?: string; ratingStatus: string }[] }>()
      .data;
  }

  it('renders a script-free form for a real conversation, without credentials', async () => {
    const { uuid } = await conversation();

    const page = await inject({ method: 'GET', url: survey(uuid) });

    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('Acme Support');
    expect(page.body).toContain(`<form method="post" action="${survey(uuid)}">`);
    expect(page.body.match(/type="radio" name="rating"/g)).toHaveLength(5);
    expect(page.body).toContain('name="feedback_message"');
    expect(page.body).not.toMatch(/<script/i);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).not.toContain('unsafe-inline');
  });

  it("stores the contact's rating and comment as the conversation's rating, and a second answer replaces it", async () => {
    const { displayId, uuid } = await conversation();

    const first = await answer(uuid, 'rating=4&feedback_message=Quick+and+kind');
    const afterFirst = await ratingsOf(displayId);
    const second = await answer(uuid, 'rating=2&feedback_message=Changed+my+mind');
    const afterSecond = await ratingsOf(displayId);
    const reopened = await inject({ method: 'GET', url: survey(uuid) });

    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('Thank you');
    expect(afterFirst).toEqual([
      expect.objectContaining({ ratingScore: 4, ratingComment: 'Quick and kind', ratingStatus: 'Rated' }),
    ]);
    expect(second.statusCode).toBe(200);
    expect(afterSecond).toEqual([
      expect.objectContaining({ ratingScore: 2, ratingComment: 'Changed my mind', ratingStatus: 'Rated' }),
    ]);
    expect(reopened.body).toContain('You may change your answer');
    expect(reopened.body).toMatch(/value="2" required checked/);
    const rated = await app.testDb.database.db
      .select({ type: events.type })
      .from(events)
      .where(and(eq(events.accountId, account.accountId), eq(events.type, 'conversation.rated')));
    expect(rated.length).toBeGreaterThanOrEqual(2);
  });

  it("takes the JSON body Chatwoot's own survey app sends", async () => {
    const { displayId, uuid } = await conversation();

    const response = await inject({
      method: 'POST',
      url: survey(uuid),
      payload: {
        message: { submitted_values: { csat_survey_response: { rating: 5, feedback_message: 'Great' } } },
      },
    });

    expect(response.statusCode).toBe(200);
    expect(await ratingsOf(displayId)).toEqual([
      expect.objectContaining({ ratingScore: 5, ratingComment: 'Great' }),
    ]);
  });

  it('refuses a score outside 1–5 with 422 and stores nothing', async () => {
    const { displayId, uuid } = await conversation();

    const responses = await Promise.all(
      ['rating=9', 'rating=0', 'rating=abc', 'rating=2.5', 'feedback_message=hi'].map((form) =>
        answer(uuid, form),
      ),
    );

    for (const response of responses) {
      expect(response.statusCode).toBe(422);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.body).toContain('Please choose a rating from 1 to 5.');
    }
    expect(await ratingsOf(displayId)).toEqual([]);
  });

  it('locks the answer 14 days after the survey was sent, as Chatwoot does', async () => {
    const { displayId, uuid } = await conversation();
    await answer(uuid, 'rating=3');
    await app.testDb.database.db
      .update(conversationRatings)
      .set({ offeredAt: sql`now() - interval '15 days'` })
      .where(eq(conversationRatings.accountId, account.accountId));

    const late = await answer(uuid, 'rating=5');
    const page = await inject({ method: 'GET', url: survey(uuid) });

    expect(late.statusCode).toBe(422);
    expect(late.body).toContain('You cannot update the CSAT survey after 14 days');
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('<form');
    expect(await ratingsOf(displayId)).toEqual([expect.objectContaining({ ratingScore: 3 })]);
  });

  it('answers a 404 page for an unknown or malformed conversation UUID', async () => {
    const unknown = await inject({ method: 'GET', url: survey(randomUUID()) });
    const malformed = await inject({ method: 'GET', url: survey('12345') });
    const post = await answer(randomUUID(), 'rating=5');

    for (const response of [unknown, malformed, post]) {
      expect(response.statusCode).toBe(404);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.body).toContain('Survey not found');
    }
  });
});
