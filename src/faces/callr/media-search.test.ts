import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { speechToolsAvailable } from '../../testing/speech.js';
import { createCallrTestApp, type CallrTestAccount } from './callr-test-kit.js';

const tools = speechToolsAvailable(['espeak-ng', 'ffmpeg']);

interface Media {
  id: number;
  hash: string;
  name: string;
}
interface SearchResults {
  has_more: boolean;
  hits: Media[];
  offset: number;
  total: number;
}

describe('CALLR media/library.search', { timeout: 120_000 }, () => {
  let kit: Awaited<ReturnType<typeof createCallrTestApp>>;
  let alice: CallrTestAccount;
  let bob: CallrTestAccount;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    kit = await createCallrTestApp();
    alice = await kit.account('alice');
    bob = await kit.account('bob');
    for (const name of ['Welcome FR', 'Welcome EN', 'Hold music', 'Closed_hours', 'Voicemail 100%']) {
      ids[name] = await alice.result<number>('media/library.create', [name]);
    }
    await alice.result('media/library.set_tags', [ids['Welcome FR'], { lang: ['fr'], team: ['sales'] }]);
    await alice.result('media/library.set_tags', [ids['Welcome EN'], { lang: ['en'] }]);
    await alice.result('media/library.set_categories', [ids['Welcome FR'], ['WELCOME', 'IVR']]);
    await alice.result('media/library.set_categories', [ids['Welcome EN'], ['WELCOME']]);
    await bob.result('media/library.create', ['Welcome Bob']);
  });
  afterAll(() => kit.app.close());

  const search = (filters: unknown, options: unknown = null) =>
    alice.result<SearchResults>('media/library.search', [filters, options]);
  const names = (results: SearchResults) => results.hits.map((hit) => hit.name);

  it('filters by name, category, status, tags and id or hash', async () => {
    expect(names(await search({ name: 'welcome' }))).toEqual(['Welcome FR', 'Welcome EN']);
    // LIKE wildcards in the filter are taken literally.
    expect(names(await search({ name: '_' }))).toEqual(['Closed_hours']);
    expect(names(await search({ name: '%' }))).toEqual(['Voicemail 100%']);
    expect(names(await search({ category: 'IVR' }))).toEqual(['Welcome FR']);
    expect(names(await search({ status: 'PENDING_CONTENT' }))).toHaveLength(5);
    expect(names(await search({ tags_type: 'team' }))).toEqual(['Welcome FR']);
    expect(names(await search({ tags_type: 'lang', tags_value: 'en' }))).toEqual(['Welcome EN']);
    expect(names(await search({ tags_value: 'fr' }))).toEqual(['Welcome FR']);
    const hash = (await alice.result<Media>('media/library.get', [ids['Hold music']])).hash;
    expect(names(await search({ hash }))).toEqual(['Hold music']);
    expect(names(await search({ id: ids['Hold music'] }))).toEqual(['Hold music']);
    expect((await search({ hash, id: ids['Welcome FR'] })).total).toBe(0);
  });

  it('pages and orders, with the total', async () => {
    const first = await search(null, { quantity: 2, order: 'name' });
    expect(first).toMatchObject({ has_more: true, offset: 0, total: 5 });
    expect(names(first)).toEqual(['Closed_hours', 'Hold music']);
    const last = await search({}, { quantity: 2, offset: 4, order: 'name' });
    expect(last).toMatchObject({ has_more: false, offset: 4, total: 5 });
    expect(names(last)).toEqual(['Welcome FR']);
    expect(names(await search(null, { order: '-id', quantity: 1 }))).toEqual(['Voicemail 100%']);
  });

  it('filters by creation time and refuses bad filters', async () => {
    expect((await search({ created_at_from: '2000-01-01 00:00:00' })).total).toBe(5);
    expect((await search({ created_at_to: '2000-01-01 00:00:00' })).total).toBe(0);
    for (const filters of [{ created_at_from: 'yesterday' }, { colour: 'red' }, { hash: 'nothex!' }]) {
      expect(await alice.error('media/library.search', [filters, null])).toMatchObject({ code: -32602 });
    }
    expect(await alice.error('media/library.search', [null, { quantity: 5000 }])).toMatchObject({
      code: -32602,
    });
  });

  it.skipIf(!tools.available)('filters by voice and language', async () => {
    await alice.result('media/tts.set_content', [ids['Welcome FR'], 'Bienvenue.', 'TTS_FR-FR_AUDREY', null]);
    expect(names(await search({ voice: 'TTS_FR-FR_AUDREY' }))).toEqual(['Welcome FR']);
    expect(names(await search({ language: ['fr_FR', 'de_DE'] }))).toEqual(['Welcome FR']);
    expect((await search({ status: 'READY' })).total).toBe(1);
  });

  it("never finds another account's media", async () => {
    expect((await search({ name: 'Bob' })).total).toBe(0);
    const bobs = await bob.result<SearchResults>('media/library.search', [null, null]);
    expect(names(bobs)).toEqual(['Welcome Bob']);
  });
});
