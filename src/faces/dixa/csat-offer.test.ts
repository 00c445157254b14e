import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../testing/app.js';
import { waitFor } from '../../testing/wait.js';
import { messages } from '../../core/conversations/conversations.tables.js';
import { createInbox } from '../../core/inboxes/create-inbox.js';
import { createQueue, setQueueUsages } from '../../core/routing/index.js';
import { routingFixture } from '../../core/routing/routing-test-kit.js';
import { createDixaTestApp, type DixaTestOrg, type Inject } from './dixa-test-kit.js';

const SYSTEM = { type: 'system' } as const;

/**
 * After an agent closes a conversation in an inbox with ratings on, the end user gets a link to
 * the public rating page; the answer shows in the Dixa rating endpoint and in analytics, as does
 * the queue's SLA (SlaTimeLimit).
 */
describe('Dixa CSAT offer after close, and the queue SLA in analytics', () => {
  let app: TestApp;
  let inject: Inject;
  let org: DixaTestOrg;
  const today = { _type: 'Preset', value: { _type: 'Today' } };

  beforeAll(async () => {
    const created = await createDixaTestApp();
    ({ app, inject } = created);
    org = await created.organization('Ratings');
    await app.parley.startBackground();
  }, 180_000);
  afterAll(() => app.close());

  async function handledConversation(csatSurveyEnabled: boolean) {
    const db = app.parley.ctx.db;
    const fixture = routingFixture(db, org.accountId);
    const agent = await fixture.agent();
    const inbox = await createInbox(
      db,
      {
        accountId: org.accountId,
        name: `Chat ${csatSurveyEnabled}`,
        channelType: 'web_widget',
        enableAutoAssignment: false,
        csatSurveyEnabled,
      },
      SYSTEM,
    );
    const queue = await createQueue(
      db,
      {
        accountId: org.accountId,
        name: `Support ${csatSurveyEnabled}`,
        isDefault: false,
        isDoNotOfferEnabled: false,
        callFunctionality: false,
        queueThresholds: { SlaTimeLimit: 60 },
      },
      SYSTEM,
    );
    await setQueueUsages(db, { accountId: org.accountId, queueId: queue.id, inboxIds: [inbox.id] }, SYSTEM);
    const conversation = await fixture.conversation(inbox.id);
    const path = `/v1/conversations/${conversation.displayId}`;
    const claimed = await org.call('PUT', `${path}/claim`, { agentId: agent.uuid });
    expect(claimed.statusCode, claimed.body).toBeLessThan(300);
    const closed = await org.call('PUT', `${path}/close`, { userId: agent.uuid });
    expect(closed.statusCode, closed.body).toBe(204);
    return { conversation, path };
  }

  const csatMessagesOf = (conversationId: number) =>
    app.parley.ctx.db
      .select()
      .from(messages)
      .where(and(eq(messages.conversationId, conversationId), eq(messages.contentType, 'input_csat')));

  const metric = async (id: string, aggregations: string[]) => {
    const response = await org.call('POST', '/v1/analytics/metrics', {
      id,
      periodFilter: today,
      timezone: 'UTC',
      aggregations,
    });
    expect(response.statusCode, response.body).toBe(200);
    const { aggregates } = response.json<{
      data: { aggregates: { measure: string; value: number }[] };
    }>().data;
    return Object.fromEntries(aggregates.map((aggregate) => [aggregate.measure, aggregate.value]));
  };

  it('sends the rating link, records the answer and shows it in the rating endpoint and analytics', async () => {
    const { conversation, path } = await handledConversation(true);

    const [offer] = await waitFor(
      async () => {
        const rows = await csatMessagesOf(conversation.id);
        return rows.length > 0 ? rows : undefined;
      },
      { what: 'the CSAT message', timeoutMs: 30_000 },
    );
    const link = new URL(String(offer?.contentAttributes.rating_url));
    expect(offer?.content).toContain(link.toString());

    const before = await org.call('GET', `${path}/rating`);
    expect(before.json<{ data: { ratingStatus: string }[] }>().data).toMatchObject([
      { ratingStatus: 'Offered' },
    ]);

    const page = await inject({ method: 'GET', url: link.pathname });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    // The API's CSP blocks inline scripts: the page's own script must be allowed by its hash.
    const script = /<script>([\s\S]*)<\/script>/.exec(page.body)?.[1] ?? '';
    const scriptHash = createHash('sha256').update(script).digest('base64');
    expect(String(page.headers['content-security-policy'])).toContain(`script-src 'sha256-${scriptHash}'`);
    const answered = await inject({
      method: 'POST',
      url: link.pathname,
      payload: { score: 4, comment: 'Quick and kind' },
    });
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json()).toMatchObject({ status: 'rated', score: 4, comment: 'Quick and kind' });
    const outOfRange = await inject({ method: 'POST', url: link.pathname, payload: { score: 9 } });
    expect(outOfRange.statusCode).toBe(422);

    const ratings = await org.call('GET', `${path}/rating`);
    expect(ratings.statusCode).toBe(200);
    expect(ratings.json<{ data: unknown[] }>().data).toMatchObject([
      { ratingType: 'Csat', ratingStatus: 'Rated', ratingScore: 4, ratingComment: 'Quick and kind' },
    ]);

    // With the background relay running (PostgreSQL + Redis), drain() can return while another
    // pass still holds the rating's event: wait for the figure rather than assume one pass.
    await app.parley.relay.drain();
    const csat = await waitFor(
      async () => {
        const figures = await metric('csat', ['Count', 'Average']);
        return figures['Count'] === 1 ? figures : undefined;
      },
      { what: 'the rating in the csat metric', timeoutMs: 30_000 },
    );
    expect(csat).toEqual({ Count: 1, Average: 4 });
    expect(await metric('queue_sla', ['Count', 'Percentage'])).toEqual({ Count: 1, Percentage: 100 });
  }, 120_000);

  it('offers no rating where the inbox has ratings off, and 404s an unknown link', async () => {
    const { conversation } = await handledConversation(false);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await csatMessagesOf(conversation.id)).toEqual([]);

    const unknown = await inject({
      method: 'GET',
      url: '/api/v1/public/ratings/8a9d7c3e-1b2f-4c5d-9e6f-7a8b9c0d1e2f',
    });
    expect(unknown.statusCode).toBe(404);
  }, 120_000);
});
