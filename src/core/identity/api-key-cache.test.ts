import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, backendName, type TestDatabase } from '../../testing/database.js';
import { ApiKeyCache, forgetInThisProcess, type ActiveApiKey } from './api-key-cache.js';
import { deleteAccount } from './account-deletion.js';
import { createAccount } from './accounts.js';
import { createApiKey, revokeApiKey } from './api-keys.js';
import { resolveToken } from './authenticate.js';

const acmeKey: ActiveApiKey = { accountId: 1, id: 10, role: 'administrator', lastUsedAt: null };
const acmeOtherKey: ActiveApiKey = { accountId: 1, id: 11, role: 'agent', lastUsedAt: null };
const globexKey: ActiveApiKey = { accountId: 2, id: 20, role: 'agent', lastUsedAt: null };

/** A key store that counts its lookups, as the database would answer them. */
function keyStore(keys: Record<string, ActiveApiKey>) {
  const lookups: string[] = [];
  return {
    lookups,
    keys,
    load: (hash: string) => {
      lookups.push(hash);
      return Promise.resolve(keys[hash]);
    },
  };
}

function listeningCache(clock = { now: 0 }, ttlMs = 10_000): ApiKeyCache {
  const cache = new ApiKeyCache({ ttlMs, now: () => clock.now });
  cache.resume();
  return cache;
}

describe('ApiKeyCache', () => {
  it('asks the database every time until it hears revocations', async () => {
    const store = keyStore({ a: acmeKey });
    const cache = new ApiKeyCache();
    await cache.resolve('a', store.load);
    await cache.resolve('a', store.load);
    expect(store.lookups).toEqual(['a', 'a']);

    cache.resume();
    await cache.resolve('a', store.load);
    expect(await cache.resolve('a', store.load)).toEqual(acmeKey);
    expect(store.lookups).toEqual(['a', 'a', 'a']);

    cache.suspend();
    await cache.resolve('a', store.load);
    expect(store.lookups).toHaveLength(4);
  });

  it('trusts an entry for its time to live, then asks again', async () => {
    const clock = { now: 0 };
    const store = keyStore({ a: acmeKey });
    const cache = listeningCache(clock, 1_000);
    await cache.resolve('a', store.load);
    clock.now = 999;
    await cache.resolve('a', store.load);
    expect(store.lookups).toEqual(['a']);
    clock.now = 1_000;
    await cache.resolve('a', store.load);
    expect(store.lookups).toEqual(['a', 'a']);
  });

  it("forgets a revoked key and every key of a deleted account, and nobody else's", async () => {
    const store = keyStore({ a: acmeKey, b: acmeOtherKey, g: globexKey });
    const cache = listeningCache();
    for (const hash of ['a', 'b', 'g']) await cache.resolve(hash, store.load);

    cache.forget({ kind: 'api_key', accountId: 1, keyId: 10 });
    for (const hash of ['a', 'b', 'g']) await cache.resolve(hash, store.load);
    expect(store.lookups.slice(3)).toEqual(['a']);

    cache.forget({ kind: 'account', accountId: 1 });
    cache.forget({ kind: 'user', userId: 10 });
    for (const hash of ['a', 'b', 'g']) await cache.resolve(hash, store.load);
    expect(store.lookups.slice(4)).toEqual(['a', 'b']);
  });

  it('answers a key that ended meanwhile with nothing, and keeps nothing for it', async () => {
    const store = keyStore({ a: acmeKey });
    const cache = listeningCache();
    await cache.resolve('a', store.load);
    delete store.keys.a;
    cache.forget({ kind: 'api_key', accountId: 1, keyId: 10 });
    expect(await cache.resolve('a', store.load)).toBeUndefined();
    expect(await cache.resolve('a', store.load)).toBeUndefined();
    expect(store.lookups).toEqual(['a', 'a', 'a']);
  });

  it('does not keep what a lookup read before a revocation it overlapped', async () => {
    const store = keyStore({ a: acmeKey });
    const cache = listeningCache();
    let answer: (key: ActiveApiKey) => void = () => undefined;
    const slowLookup = cache.resolve('a', () => new Promise((resolve) => (answer = resolve)));
    // The revocation is heard while the lookup (which read the key before it ended) is on its way.
    cache.forget({ kind: 'api_key', accountId: 1, keyId: 10 });
    answer(acmeKey);
    await slowLookup;
    await cache.resolve('a', store.load);
    expect(store.lookups).toEqual(['a']);
  });

  it('starts over after a reconnect, when notices may have been missed', async () => {
    const store = keyStore({ a: acmeKey });
    const cache = listeningCache();
    await cache.resolve('a', store.load);
    cache.resume();
    await cache.resolve('a', store.load);
    expect(store.lookups).toEqual(['a', 'a']);
  });

  it("hears this process's own revocations at once, while it listens", async () => {
    const store = keyStore({ a: acmeKey });
    const cache = listeningCache();
    await cache.resolve('a', store.load);
    forgetInThisProcess({ kind: 'api_key', accountId: 1, keyId: 10 });
    await cache.resolve('a', store.load);
    expect(store.lookups).toEqual(['a', 'a']);
    cache.suspend();
  });
});

/**
 * The database's notice of a revocation reaches this node a moment after the commit; a key ended
 * here must be refused before it, on the caller's very next request.
 */
describe(`ApiKeyCache and the revocations made in this process (${backendName})`, () => {
  let testDb: TestDatabase;
  const system = { type: 'system' } as const;
  beforeAll(async () => {
    testDb = await createTestDatabase();
  });
  afterAll(async () => {
    await testDb.drop();
  });

  /** A listening cache that no notice will ever reach, holding a fresh key of a fresh account. */
  async function cachedKey() {
    const db = testDb.database.db;
    const account = await createAccount(db, { name: 'Acme' }, system);
    const { apiKey, token } = await createApiKey(db, { accountId: account.id, name: 'cached' }, system);
    const cache = new ApiKeyCache();
    cache.resume();
    const resolve = () => resolveToken(db, token, undefined, undefined, cache);
    expect(await resolve()).toMatchObject({ kind: 'api_key', keyId: apiKey.id });
    return { db, accountId: account.id, keyId: apiKey.id, cache, resolve };
  }

  it('forgets a key revoked here', async () => {
    const { db, accountId, keyId, cache, resolve } = await cachedKey();
    await revokeApiKey(db, accountId, keyId, system);
    expect(await resolve()).toBeNull();
    cache.suspend();
  });

  it('forgets the keys of an account deleted here', async () => {
    const { db, accountId, cache, resolve } = await cachedKey();
    await deleteAccount(db, accountId);
    expect(await resolve()).toBeNull();
    cache.suspend();
  });
});
