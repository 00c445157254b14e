import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { configSchema } from '../platform/config.js';
import { createTestDatabase, type TestDatabase } from '../testing/database.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const mainPath = path.join(projectRoot, 'src/cli/main.ts');

/** The caller's environment without any Parley setting, so only what the test passes applies. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(configSchema.shape)) Reflect.deleteProperty(env, key);
  return { ...env, LOG_LEVEL: 'silent', ...extra };
}

interface Served {
  child: ChildProcess;
  exited: Promise<number | null>;
  url: string;
  port: number;
  apiKey: string;
}

/** `parley serve` on a fresh database, once its first-start banner gave a URL and an API key. */
async function startServe(env: Record<string, string>): Promise<Served> {
  const child = spawn(process.execPath, ['--import', 'tsx', mainPath, 'serve'], {
    cwd: projectRoot,
    env: cleanEnv({ ...env, PORT: '0', HOST: '127.0.0.1' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const banner = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (/curl .*\n/.test(stdout)) resolve(stdout);
    });
    void exited.then((code) => reject(new Error(`serve exited with ${String(code)}: ${stderr}`)));
  });
  const [, apiKey, url] = /Bearer (\S+)" (http:\/\/\S+)\/api\/v1\/accounts/.exec(banner) ?? [];
  return { child, exited, url: url!, port: Number(new URL(url!).port), apiKey: apiKey! };
}

/** A raw socket that has sent `request` and got the first bytes of an answer (or none, if `waitForAnswer` is false). */
async function openSocket(port: number, request: string | Buffer, waitForAnswer = true): Promise<net.Socket> {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  socket.write(request);
  if (waitForAnswer) await new Promise<void>((resolve) => socket.once('data', () => resolve()));
  return socket;
}

describe('parley serve shuts down promptly', { timeout: 60_000 }, () => {
  let dataDir: string;
  let testDb: TestDatabase | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'parley-shutdown-'));
    if (process.env.TEST_DATABASE_URL) testDb = await createTestDatabase();
    env = { PARLEY_DATA_DIR: dataDir, ...(testDb && { DATABASE_URL: testDb.url! }) };
  });

  afterAll(async () => {
    await testDb?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('exits 0 within 2 s of SIGTERM despite keep-alive sockets, WebSockets and an upload in progress', async () => {
    const served = await startServe(env);
    const sockets: net.Socket[] = [];
    let ws: WebSocket | undefined;
    try {
      const auth = { 'x-api-key': served.apiKey, 'content-type': 'application/json' };
      const accounts = await fetch(`${served.url}/api/v1/accounts`, {
        headers: { authorization: `Bearer ${served.apiKey}` },
      });
      const accountId = ((await accounts.json()) as { data: { id: number }[] }).data[0]!.id;
      await fetch(`${served.url}/modjo/v1/users/bulk`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ users: [{ email: 'agent@example.com', firstName: 'A', lastName: 'B' }] }),
      });
      const created = await fetch(`${served.url}/modjo/v1/calls`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({
          contacts: ['customer@example.com'],
          users: ['agent@example.com'],
          date: '2026-05-04T10:00:00.000Z',
          fileExtension: 'wav',
          tags: null,
          name: 'Discovery call',
        }),
      });
      const upload = new URL(((await created.json()) as { uploadTo: string }).uploadTo);

      // An idle kept-alive connection.
      sockets.push(await openSocket(served.port, 'GET /health HTTP/1.1\r\nHost: parley\r\n\r\n'));
      // A well-behaved WebSocket client, and one that never answers the server's close frame.
      const realtime = `/api/v1/accounts/${accountId}/realtime?access_token=${served.apiKey}`;
      ws = new WebSocket(`ws://127.0.0.1:${served.port}${realtime}`);
      ws.on('error', () => undefined);
      await new Promise((resolve, reject) => {
        ws!.once('open', resolve);
        ws!.once('error', reject);
      });
      sockets.push(
        await openSocket(
          served.port,
          `GET ${realtime} HTTP/1.1\r\nHost: parley\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
        ),
      );
      // An upload that has sent a tenth of its body and then stalls.
      sockets.push(
        await openSocket(
          served.port,
          Buffer.concat([
            Buffer.from(
              `PUT ${upload.pathname}${upload.search} HTTP/1.1\r\nHost: parley\r\n` +
                'Content-Type: audio/wav\r\nContent-Length: 100000\r\n\r\n',
            ),
            Buffer.alloc(10_000),
          ]),
          false,
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 200));

      const started = Date.now();
      served.child.kill('SIGTERM');
      const code = await served.exited;
      const elapsedMs = Date.now() - started;

      expect(code).toBe(0);
      expect(elapsedMs).toBeLessThan(2_000);
    } finally {
      ws?.terminate();
      for (const socket of sockets) socket.destroy();
      if (served.child.exitCode === null) served.child.kill('SIGKILL');
    }
  });
});
