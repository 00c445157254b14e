import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Thrown when another live process already holds the embedded database directory. */
export class DataDirLockedError extends Error {}

const PID_FILE = 'parley.pid';
const SOCKET_FILE = 'parley.sock';
const TAKEOVER_DIR = 'parley.takeover';
// The takeover critical section takes milliseconds; a guard this old was left by a crash inside it.
const TAKEOVER_STALE_MS = 10_000;
const PROBE_TIMEOUT_MS = 2_000;
// sun_path holds 104 bytes on macOS, 108 on Linux, terminator included.
const MAX_SOCKET_PATH_BYTES = 103;

/**
 * Where the holder listens. In the directory itself when the path fits, so that processes sharing
 * the directory (containers on one volume) see each other; otherwise in the temporary directory.
 */
function socketPathFor(directory: string): string {
  const resolved = path.resolve(directory);
  const digest = createHash('sha256').update(resolved).digest('hex').slice(0, 24);
  if (process.platform === 'win32') return `\\\\.\\pipe\\parley-${digest}`;
  const local = path.join(resolved, SOCKET_FILE);
  return Buffer.byteLength(local) <= MAX_SOCKET_PATH_BYTES
    ? local
    : path.join(tmpdir(), `parley-${digest}.sock`);
}

/** Listens on the socket, or reports that something (live or stale) already occupies its path. */
function tryListen(socketPath: string): Promise<Server | undefined> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => socket.destroy());
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') resolve(undefined);
      else reject(error);
    });
    server.listen(socketPath, () => {
      server.removeAllListeners('error');
      resolve(server);
    });
  });
}

/**
 * Whether a live process listens on the socket. The kernel closes a process's sockets when it
 * dies, before its parent reaps it, so a crashed or zombie holder refuses the connection even
 * though its pid still looks alive. Anything but a clear refusal counts as alive: never take a
 * database from a process that might be using it.
 */
function isHeld(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(socketPath);
    const settle = (isAlive: boolean) => {
      socket.destroy();
      resolve(isAlive);
    };
    socket.setTimeout(PROBE_TIMEOUT_MS, () => settle(true));
    socket.once('connect', () => settle(true));
    socket.once('error', (error: NodeJS.ErrnoException) =>
      settle(error.code !== 'ECONNREFUSED' && error.code !== 'ENOENT'),
    );
  });
}

/** Serialises takeovers of a stale socket, so two starters cannot both remove it and both bind. */
async function withTakeoverGuard<T>(directory: string, work: () => Promise<T>): Promise<T> {
  const guard = path.join(directory, TAKEOVER_DIR);
  const deadline = Date.now() + TAKEOVER_STALE_MS * 2;
  for (;;) {
    try {
      mkdirSync(guard);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = Date.now() - (statSync(guard, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > TAKEOVER_STALE_MS) rmSync(guard, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new DataDirLockedError(`Could not lock ${directory}`);
      else await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(guard, { recursive: true, force: true });
  }
}

function holderPid(directory: string): string {
  try {
    return readFileSync(path.join(directory, PID_FILE), 'utf8').trim() || 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * PGlite is a single-process database: two processes on one directory would corrupt it. The
 * holder listens on a Unix socket, a lock the OS releases with the process: a starter that can
 * connect refuses to start, one that is refused takes the directory over. `parley.pid` names the
 * holder for humans; it is not what decides. Resolves to the release function.
 */
export async function lockDataDir(directory: string): Promise<() => void> {
  const socketPath = socketPathFor(directory);
  const pidPath = path.join(directory, PID_FILE);
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const server =
      (await tryListen(socketPath)) ??
      (await withTakeoverGuard(directory, async () => {
        if (await isHeld(socketPath)) return undefined;
        rmSync(socketPath, { force: true });
        return tryListen(socketPath);
      }));
    if (server) {
      server.unref();
      writeFileSync(pidPath, String(process.pid));
      return () => {
        // The pid file first: once the socket closes, a new holder may write its own.
        rmSync(pidPath, { force: true });
        server.close();
      };
    }
    if (await isHeld(socketPath)) {
      throw new DataDirLockedError(
        `The embedded database in ${directory} is in use by another Parley process (pid ${holderPid(directory)}). ` +
          'Stop it, or point PARLEY_DATA_DIR elsewhere.',
      );
    }
  }
  throw new DataDirLockedError(`Could not lock ${directory}`);
}
