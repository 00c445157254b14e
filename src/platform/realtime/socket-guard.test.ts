import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventEmitter } from 'node:events';
import { createLocalBus } from './local-bus.js';
import type { Revocation } from './revocations.js';
import { ACCESS_REVOKED_CLOSE_CODE, createSocketGuard, type GuardedSocket } from './socket-guard.js';

interface Credential {
  keyId: number;
}

/** A socket that records what the guard does, and closes only when the test says its peer answered. */
class FakeSocket extends EventEmitter implements GuardedSocket {
  closes: { code: number; reason: string }[] = [];
  terminated = false;
  close(code: number, reason: string): void {
    this.closes.push({ code, reason });
  }
  terminate(): void {
    this.terminated = true;
    this.emit('close');
  }
}

const keyRevoked = (keyId: number): Revocation => ({ kind: 'api_key', accountId: 1, keyId });

function guardOn(
  bus = createLocalBus(),
  findEnded: (credentials: readonly Credential[]) => Promise<ReadonlySet<Credential>> = () =>
    Promise.resolve(new Set()),
) {
  return createSocketGuard<Credential>({
    bus,
    isEndedBy: (credential, revocation) =>
      revocation.kind === 'api_key' && revocation.keyId === credential.keyId,
    findEnded,
    recheckIntervalMs: 60_000,
    onError: (error) => {
      throw error;
    },
  });
}

describe('socket guard', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('marks a revoked socket at once, asks it to close with 4401, and cuts it if the peer never answers', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    const bus = createLocalBus();
    const guard = guardOn(bus);
    const revokedSocket = new FakeSocket();
    const otherSocket = new FakeSocket();
    const revoked = guard.admit({ keyId: 1 }, revokedSocket);
    const other = guard.admit({ keyId: 2 }, otherSocket);

    await bus.announceRevocation(keyRevoked(1));

    // Delivery stops now, though the close handshake has not finished.
    expect(revoked.isRevoked).toBe(true);
    expect(revokedSocket.closes).toEqual([{ code: ACCESS_REVOKED_CLOSE_CODE, reason: 'Access revoked' }]);
    expect(revokedSocket.terminated).toBe(false);
    vi.advanceTimersByTime(1000);
    expect(revokedSocket.terminated).toBe(true);

    expect(other.isRevoked).toBe(false);
    expect(otherSocket.closes).toEqual([]);
    expect(guard.size).toBe(1);
    guard.close();
  });

  it('checks again at once a socket admitted just after a notice naming its credential', async () => {
    const bus = createLocalBus();
    const findEnded = vi.fn((credentials: readonly Credential[]) => Promise.resolve(new Set(credentials)));
    const guard = guardOn(bus, findEnded);
    await bus.announceRevocation(keyRevoked(3));

    // Its credentials were checked before the notice arrived; it is admitted after.
    const socket = new FakeSocket();
    const admission = guard.admit({ keyId: 3 }, socket);
    await vi.waitFor(() => expect(admission.isRevoked).toBe(true));
    expect(findEnded).toHaveBeenCalledTimes(1);

    // A credential the notice does not name is not checked again.
    guard.admit({ keyId: 4 }, new FakeSocket());
    expect(findEnded).toHaveBeenCalledTimes(1);
    guard.close();
  });

  it('closes, at the periodic re-check, sockets whose credential the database no longer grants', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    const ended = new Set<Credential>();
    const guard = guardOn(createLocalBus(), () => Promise.resolve(ended));
    const credential = { keyId: 5 };
    const socket = new FakeSocket();
    const admission = guard.admit(credential, socket);

    ended.add(credential); // revoked, and the notice was lost
    await vi.advanceTimersByTimeAsync(60_000);

    expect(admission.isRevoked).toBe(true);
    expect(socket.closes).toHaveLength(1);
    guard.close();
  });
});
