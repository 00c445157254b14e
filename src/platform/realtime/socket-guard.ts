import type { RealtimeBus } from './realtime-bus.js';
import type { Revocation } from './revocations.js';

/** Close code for a socket whose credentials stopped being valid (4000–4999: the application's own). */
export const ACCESS_REVOKED_CLOSE_CODE = 4401;
export const ACCESS_REVOKED_REASON = 'Access revoked';

/** How long a revoked peer gets to answer the close handshake before its connection is cut. */
const CLOSE_GRACE_MS = 1000;

/**
 * A notice can arrive after a socket's credentials were checked but before the socket is admitted.
 * A socket admitted this soon after a notice that names its credential is checked again at once
 * (not closed outright: a member removed and added back, or a bot with a new token, is valid).
 */
const RECENT_REVOCATION_MS = 5_000;

/** What the guard needs of a WebSocket (the `ws` one fits). */
export interface GuardedSocket {
  close(code: number, reason: string): void;
  terminate(): void;
  once(event: 'close', listener: () => void): unknown;
}

export interface SocketGuardOptions<Credential> {
  bus: RealtimeBus;
  /** Whether the revocation ends this credential. */
  isEndedBy(credential: Credential, revocation: Revocation): boolean;
  /** The safety net: which of these credentials are no longer valid, asked of the database. */
  findEnded(credentials: readonly Credential[]): Promise<ReadonlySet<Credential>>;
  /** How often every open socket's credential is checked again, in case a notice was missed. */
  recheckIntervalMs: number;
  onError(error: unknown): void;
}

export interface Admission {
  /** True once the credential is revoked: send nothing more, even while the close handshake runs. */
  readonly isRevoked: boolean;
  /** Forget the socket (call when it closes). */
  release(): void;
}

export interface SocketGuard<Credential> {
  admit(credential: Credential, socket: GuardedSocket): Admission;
  /** Number of sockets watched; for tests and metrics. */
  readonly size: number;
  close(): void;
}

interface Entry<Credential> {
  credential: Credential;
  socket: GuardedSocket;
  isRevoked: boolean;
}

/**
 * Remembers which credential each open socket was admitted with, and closes the socket (code 4401)
 * as soon as a revocation that ends it is heard on the bus, or a periodic re-check finds it ended.
 */
export function createSocketGuard<Credential>(
  options: SocketGuardOptions<Credential>,
): SocketGuard<Credential> {
  const entries = new Set<Entry<Credential>>();
  const recent: { revocation: Revocation; at: number }[] = [];

  function end(entry: Entry<Credential>): void {
    // A socket already released (closed) needs nothing more.
    if (entry.isRevoked || !entries.has(entry)) return;
    entry.isRevoked = true;
    entries.delete(entry);
    const cut = setTimeout(() => entry.socket.terminate(), CLOSE_GRACE_MS);
    cut.unref();
    entry.socket.once('close', () => clearTimeout(cut));
    try {
      entry.socket.close(ACCESS_REVOKED_CLOSE_CODE, ACCESS_REVOKED_REASON);
    } catch (error) {
      options.onError(error);
      entry.socket.terminate();
    }
  }

  function forgetOld(now: number): void {
    while (recent.length > 0 && (recent[0]?.at ?? now) < now - RECENT_REVOCATION_MS) recent.shift();
  }

  const unsubscribe = options.bus.subscribeRevocations((revocation) => {
    const now = Date.now();
    forgetOld(now);
    recent.push({ revocation, at: now });
    for (const entry of [...entries]) {
      if (options.isEndedBy(entry.credential, revocation)) end(entry);
    }
  });

  async function checkNow(watched: Entry<Credential>[]): Promise<void> {
    try {
      const ended = await options.findEnded(watched.map((entry) => entry.credential));
      for (const entry of watched) if (ended.has(entry.credential)) end(entry);
    } catch (error) {
      options.onError(error);
    }
  }

  let isChecking = false;
  async function recheckAll(): Promise<void> {
    if (isChecking || entries.size === 0) return;
    isChecking = true;
    await checkNow([...entries]);
    isChecking = false;
  }
  const timer = setInterval(() => void recheckAll(), options.recheckIntervalMs);
  timer.unref();

  return {
    admit(credential, socket) {
      const entry: Entry<Credential> = { credential, socket, isRevoked: false };
      entries.add(entry);
      forgetOld(Date.now());
      if (recent.some(({ revocation }) => options.isEndedBy(credential, revocation))) {
        void checkNow([entry]);
      }
      return {
        get isRevoked() {
          return entry.isRevoked;
        },
        release() {
          entries.delete(entry);
        },
      };
    },
    get size() {
      return entries.size;
    },
    close() {
      clearInterval(timer);
      unsubscribe();
      entries.clear();
    },
  };
}
