import type { Database } from '../../platform/db/database.js';
import type { RealtimeErrorHandler } from '../../platform/realtime/realtime-bus.js';
import { listenForRevocations, type Revocation } from '../../platform/realtime/revocations.js';
import type { Role } from './identity.tables.js';

/** An API key as its lookup found it: active, with the account and role it grants. */
export interface ActiveApiKey {
  accountId: number;
  id: number;
  role: Role;
  lastUsedAt: Date | null;
}

export interface ApiKeyCacheOptions {
  /**
   * How long a key found active is trusted without asking again: the bound on a revocation this
   * node did not hear (a notice lost while its listening connection was down).
   */
  ttlMs?: number;
  /** Entries kept at most; past it the cache starts over (only keys that resolved are kept). */
  maxEntries?: number;
  now?: () => number;
}

const listeningCaches = new Set<ApiKeyCache>();

/**
 * Tells this process's caches of a revocation it has just committed. The database's notice reaches
 * them too, but a moment later, when the caller may already have used the key again.
 */
export function forgetInThisProcess(revocation: Revocation): void {
  for (const cache of listeningCaches) cache.forget(revocation);
}

/**
 * Active API keys by token hash, so a request with a key asks the database nothing about it.
 * An API key's account and role never change; it only ends (revoked, deleted, its account
 * deleted), and the database announces each end at commit (migration `access_revocation_notices`).
 * So the cache answers only while this node hears those notices (`resume` once listening, again on
 * every reconnect), forgets what each notice ends, and trusts an entry for `ttlMs` at most.
 */
export class ApiKeyCache {
  readonly #entries = new Map<string, { key: ActiveApiKey; checkedAt: number }>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  #isListening = false;
  /** Counts forgets: a lookup that started before one may have read what it ended. */
  #generation = 0;

  constructor(options: ApiKeyCacheOptions = {}) {
    this.#ttlMs = options.ttlMs ?? 10_000;
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#now = options.now ?? (() => Date.now());
  }

  /** The key with this hash, from the cache when it can answer, else from `load` (remembered). */
  async resolve(
    hash: string,
    load: (hash: string) => Promise<ActiveApiKey | undefined>,
  ): Promise<ActiveApiKey | undefined> {
    const entry = this.#isListening ? this.#entries.get(hash) : undefined;
    if (entry && this.#now() - entry.checkedAt < this.#ttlMs) return entry.key;
    const generation = this.#generation;
    const checkedAt = this.#now();
    const key = await load(hash);
    if (!key) {
      this.#entries.delete(hash);
    } else if (this.#isListening && generation === this.#generation) {
      if (this.#entries.size >= this.#maxEntries) this.#entries.clear();
      this.#entries.set(hash, { key, checkedAt });
    }
    return key;
  }

  /** Records that the key's last use was written, so the next request does not write it again. */
  touched(hash: string, at: Date): void {
    const entry = this.#entries.get(hash);
    if (entry) entry.key = { ...entry.key, lastUsedAt: at };
  }

  /** Starts answering from memory: this node now hears every revocation (again, after a reconnect). */
  resume(): void {
    this.forgetAll();
    this.#isListening = true;
    listeningCaches.add(this);
  }

  /** Stops answering from memory: revocations may go unheard from now on. */
  suspend(): void {
    this.#isListening = false;
    listeningCaches.delete(this);
    this.forgetAll();
  }

  /** Forgets the keys a revocation ends (a key, or every key of an account). */
  forget(revocation: Revocation): void {
    if (revocation.kind !== 'api_key' && revocation.kind !== 'account') return;
    this.#generation += 1;
    for (const [hash, { key }] of this.#entries) {
      const isEnded =
        key.accountId === revocation.accountId &&
        (revocation.kind === 'account' || key.id === revocation.keyId);
      if (isEnded) this.#entries.delete(hash);
    }
  }

  forgetAll(): void {
    this.#generation += 1;
    this.#entries.clear();
  }
}

/**
 * Lets `cache` answer while this node hears the database's revocation notices, each of which it
 * forgets. Resolves to the function that stops both.
 */
export async function listenForApiKeyRevocations(
  database: Database,
  cache: ApiKeyCache,
  onError: RealtimeErrorHandler,
): Promise<() => Promise<void>> {
  const stop = await listenForRevocations(
    database,
    (revocation) => cache.forget(revocation),
    onError,
    () => cache.resume(),
  );
  return async () => {
    cache.suspend();
    await stop();
  };
}
