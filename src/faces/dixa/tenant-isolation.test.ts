import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, injector, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { buildDixaCorpus } from '../../testing/fuzz/dixa-corpus.js';
import type { FaceCorpus } from '../../testing/fuzz/types.js';

/**
 * Every Dixa operation, replayed with another organization's key on the first organization's ids
 * (the valid requests of the fuzz corpus): nothing of the first organization may be read or changed.
 */
describe(`Dixa face: tenant isolation over every operation (${backendName})`, () => {
  let app: TestApp;
  let corpus: FaceCorpus;
  let foreignKey: string;
  let homeIds: string[];

  beforeAll(async () => {
    app = await createTestApp();
    corpus = await buildDixaCorpus(app);
    foreignKey = corpus.credentials.foreignTokens[0] ?? '';
    homeIds = Object.values(corpus.params).filter((value) => /^[0-9a-f-]{36}$/.test(value));
  }, 60_000);
  afterAll(() => app.close());

  it('answers 404 for every operation on an id of another organization, and never shows its data', async () => {
    expect(homeIds.length).toBeGreaterThanOrEqual(8);
    const inject = injector(app);
    const conversationId = corpus.params.conversationId ?? '';
    const ordered = [...corpus.entries].sort((a, b) => Number(a.isDestructive) - Number(b.isDestructive));
    const leaks: string[] = [];
    for (const entry of ordered) {
      const { request } = entry;
      const response = await inject({
        method: request.method,
        url: request.url,
        headers: { authorization: foreignKey },
        ...(request.body !== undefined && { payload: request.body as Record<string, unknown> }),
      });
      const path = request.url.split('?')[0] ?? '';
      // Conversation ids are per-account numbers: the other organization has none, so any is unknown to it.
      const namesHomeId =
        homeIds.some((id) => path.includes(id)) ||
        path.startsWith(`/dixa/v1/conversations/${conversationId}`);
      if (response.statusCode >= 500) leaks.push(`${request.method} ${path}: ${response.statusCode}`);
      if (namesHomeId && response.statusCode !== 404) {
        leaks.push(`${request.method} ${path}: ${response.statusCode} instead of 404`);
      }
      const shown = homeIds.filter((id) => response.body.includes(id) && !path.includes(id));
      if (shown.length > 0) leaks.push(`${request.method} ${path} shows ${shown.join(', ')}`);
    }
    expect(leaks).toEqual([]);
  }, 120_000);

  it('left the first organization untouched', async () => {
    const inject = injector(app);
    const home = corpus.credentials.tokens[0] ?? '';
    const endUser = await inject({
      method: 'GET',
      url: `/dixa/v1/endusers/${corpus.params.userId ?? ''}`,
      headers: { authorization: home },
    });
    expect(endUser.statusCode).toBe(200);
    expect(endUser.json<{ data: { displayName: string } }>().data.displayName).toBe('Fuzz Customer');
    const team = await inject({
      method: 'GET',
      url: `/dixa/v1/teams/${corpus.params.teamId ?? ''}`,
      headers: { authorization: home },
    });
    expect(team.statusCode).toBe(200);
    const hooks = await inject({ method: 'GET', url: '/dixa/v1/webhooks', headers: { authorization: home } });
    expect(hooks.json<{ data: { id: string }[] }>().data.map((hook) => hook.id)).toContain(
      corpus.params.webhookSubscriptionId,
    );
  });
});
