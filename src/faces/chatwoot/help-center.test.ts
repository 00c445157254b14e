import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray } from 'drizzle-orm';
import { createTestApp, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { events } from '../../platform/events/events.tables.js';
import { chatwootCaller, seedUser } from './admin-test-kit.js';

describe(`Chatwoot help center API (${backendName})`, () => {
  let app: TestApp;
  let call: ReturnType<typeof chatwootCaller>;
  let a: { accountId: number; apiKey: string };
  let b: { accountId: number; apiKey: string };
  let agent: { userId: number; token: string };

  beforeAll(async () => {
    app = await createTestApp();
    call = chatwootCaller(app);
    a = await seedAccount(app, 'Acme');
    b = await seedAccount(app, 'Globex');
    agent = await seedUser(app, { accountId: a.accountId, role: 'agent', email: 'writer@acme.test' });
  });
  afterAll(async () => {
    await app.close();
  });

  const portals = (accountId: number) => `/api/v1/accounts/${accountId}/portals`;

  async function createPortal(slug: string, extra: Record<string, unknown> = {}) {
    const response = await call('POST', portals(a.accountId), a.apiKey, {
      name: `Portal ${slug}`,
      slug,
      ...extra,
    });
    expect(response.statusCode).toBe(200);
    return response.json<{ payload: [{ id: number; slug: string }] }>().payload[0];
  }

  it('creates, lists and updates a portal with the seed fields, addressed by its slug', async () => {
    const created = await call('POST', portals(a.accountId), a.apiKey, {
      name: 'Handbook',
      slug: 'handbook',
      color: '#1F93FF',
      custom_domain: 'help.acme.test',
      header_text: 'How can we help?',
      homepage_link: 'https://acme.test',
      page_title: 'Acme Handbook',
      config: { allowed_locales: ['en', 'es'], default_locale: 'en' },
    });
    await call('POST', `${portals(a.accountId)}/handbook/categories`, a.apiKey, {
      name: 'Billing',
      locale: 'es',
    });
    const updated = await call('PATCH', `${portals(a.accountId)}/handbook`, a.apiKey, {
      header_text: 'Ask us',
      archived: true,
    });
    const listed = await call('GET', portals(a.accountId), agent.token);

    expect(created.statusCode).toBe(200);
    const item = {
      id: expect.any(Number),
      archived: false,
      color: '#1F93FF',
      config: {
        allowed_locales: [
          { code: 'en', articles_count: 0, categories_count: 0 },
          { code: 'es', articles_count: 0, categories_count: 0 },
        ],
        default_locale: 'en',
      },
      custom_domain: 'help.acme.test',
      header_text: 'How can we help?',
      homepage_link: 'https://acme.test',
      name: 'Handbook',
      slug: 'handbook',
      page_title: 'Acme Handbook',
      account_id: a.accountId,
      meta: {
        all_articles_count: 0,
        archived_articles_count: 0,
        published_count: 0,
        draft_articles_count: 0,
        categories_count: 0,
        default_locale: 'en',
      },
    };
    expect(created.json()).toEqual({ payload: [item] });
    expect(updated.statusCode).toBe(200);
    expect(updated.json().payload).toMatchObject({ header_text: 'Ask us', archived: true, slug: 'handbook' });
    expect(updated.json().payload.config.allowed_locales[1]).toEqual({
      code: 'es',
      articles_count: 0,
      categories_count: 1,
    });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().payload.map((portal: { slug: string }) => portal.slug)).toContain('handbook');
  });

  it('adds categories and articles with the seed fields and counts them on the portal', async () => {
    const portal = await createPortal('docs');
    const category = await call('POST', `${portals(a.accountId)}/docs/categories`, a.apiKey, {
      name: 'Getting started',
      description: 'First steps',
      slug: 'getting-started',
      position: 2,
      icon: '📚',
    });
    const categoryId = category.json<{ id: number }>().id;
    const article = await call('POST', `${portals(a.accountId)}/docs/articles`, agent.token, {
      title: 'Install the app',
      content: '# Install\nRun the installer.',
      description: 'How to install',
      category_id: categoryId,
      status: 1,
      meta: { tags: ['install'] },
    });
    const draft = await call('POST', `${portals(a.accountId)}/docs/articles`, a.apiKey, {
      article: { title: 'Later', content: 'soon', status: 'draft' },
    });
    const listed = await call('GET', portals(a.accountId), a.apiKey);

    expect(category.statusCode).toBe(200);
    expect(category.json()).toEqual({
      id: expect.any(Number),
      description: 'First steps',
      locale: 'en',
      name: 'Getting started',
      slug: 'getting-started',
      position: 2,
      portal_id: portal.id,
      account_id: a.accountId,
      icon: '📚',
    });
    expect(article.statusCode).toBe(200);
    expect(article.json()).toEqual({
      id: expect.any(Number),
      content: '# Install\nRun the installer.',
      description: 'How to install',
      meta: { tags: ['install'] },
      position: expect.any(Number),
      status: 'published',
      title: 'Install the app',
      slug: 'install-the-app',
      locale: 'en',
      views: 0,
      portal_id: portal.id,
      account_id: a.accountId,
      author_id: agent.userId,
      category_id: categoryId,
      updated_at: expect.any(Number),
    });
    expect(draft.json()).toMatchObject({ title: 'Later', status: 'draft' });
    expect(draft.json()).not.toHaveProperty('author_id');
    const docs = listed.json().payload.find((row: { slug: string }) => row.slug === 'docs');
    expect(docs.meta).toMatchObject({
      all_articles_count: 2,
      published_count: 1,
      draft_articles_count: 1,
      categories_count: 1,
    });
    expect(docs.config.allowed_locales).toEqual([{ code: 'en', articles_count: 2, categories_count: 1 }]);
    const types = await app.testDb.database.db
      .select({ type: events.type })
      .from(events)
      .where(
        and(
          eq(events.accountId, a.accountId),
          inArray(events.aggregateType, ['portal', 'category', 'article']),
        ),
      );
    expect(types.map((row) => row.type)).toEqual(
      expect.arrayContaining(['portal.created', 'category.created', 'article.created']),
    );
  });

  it('refuses bad input with 4xx and the Chatwoot error body', async () => {
    await createPortal('strict', { config: { allowed_locales: ['en'] } });

    const noName = await call('POST', portals(a.accountId), a.apiKey, { slug: 'nameless' });
    const badSlug = await call('POST', portals(a.accountId), a.apiKey, { name: 'X', slug: 'has space' });
    const takenSlug = await call('POST', portals(b.accountId), b.apiKey, { name: 'X', slug: 'strict' });
    const badLocale = await call('POST', `${portals(a.accountId)}/strict/categories`, a.apiKey, {
      name: 'C',
      locale: 'fr',
    });
    const noTitle = await call('POST', `${portals(a.accountId)}/strict/articles`, a.apiKey, { content: 'x' });
    const badStatus = await call('POST', `${portals(a.accountId)}/strict/articles`, a.apiKey, {
      title: 'T',
      status: 7,
    });
    const foreignAuthor = await call('POST', `${portals(a.accountId)}/strict/articles`, a.apiKey, {
      title: 'T',
      author_id: 999999,
    });

    expect(noName.statusCode).toBe(422);
    expect(noName.json()).toEqual({
      description: "Name can't be blank",
      errors: [{ field: 'name', message: "can't be blank", code: 'validation_failed' }],
    });
    expect(badSlug.statusCode).toBe(422);
    expect(takenSlug.statusCode).toBe(422);
    expect(takenSlug.json().errors[0].field).toBe('slug');
    expect(badLocale.statusCode).toBe(422);
    expect(badLocale.json().errors[0].field).toBe('locale');
    expect(noTitle.statusCode).toBe(422);
    expect(noTitle.json().errors[0].field).toBe('title');
    expect(badStatus.statusCode).toBeGreaterThanOrEqual(400);
    expect(badStatus.statusCode).toBeLessThan(500);
    expect(badStatus.json()).toHaveProperty('description');
    expect(foreignAuthor.statusCode).toBe(422);
    expect(foreignAuthor.json().errors[0].field).toBe('author_id');
  });

  it("keeps each account's portals to itself: another account gets 404 and lists none of them", async () => {
    await createPortal('private');

    const list = await call('GET', portals(b.accountId), b.apiKey);
    const patch = await call('PATCH', `${portals(b.accountId)}/private`, b.apiKey, { name: 'Mine now' });
    const category = await call('POST', `${portals(b.accountId)}/private/categories`, b.apiKey, {
      name: 'C',
    });
    const article = await call('POST', `${portals(b.accountId)}/private/articles`, b.apiKey, { title: 'T' });
    const crossAccount = await call('GET', portals(a.accountId), b.apiKey);

    expect(list.json().payload.map((row: { slug: string }) => row.slug)).not.toContain('private');
    expect(patch.statusCode).toBe(404);
    expect(category.statusCode).toBe(404);
    expect(article.statusCode).toBe(404);
    expect([401, 403, 404]).toContain(crossAccount.statusCode);
  });

  it('lets agents read portals and write articles, but not change portals or categories', async () => {
    await createPortal('roles');

    const create = await call('POST', portals(a.accountId), agent.token, {
      name: 'Agent portal',
      slug: 'agent-made',
    });
    const patch = await call('PATCH', `${portals(a.accountId)}/roles`, agent.token, { name: 'Renamed' });
    const category = await call('POST', `${portals(a.accountId)}/roles/categories`, agent.token, {
      name: 'C',
    });
    const noToken = await call('GET', portals(a.accountId), undefined);

    expect(create.statusCode).toBe(403);
    expect(patch.statusCode).toBe(403);
    expect(category.statusCode).toBe(403);
    expect(noToken.statusCode).toBe(401);
  });
});
