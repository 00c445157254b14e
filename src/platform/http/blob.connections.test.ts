import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { createTestApp, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';

/** What one raw connection saw: everything the server wrote, and whether and when it closed. */
interface Exchange {
  text: string;
  closedAfterMs: number | undefined;
}

/**
 * Writes `chunks` on a fresh socket and keeps it open (a client still sending its body), collecting
 * what comes back until the server closes the connection or `waitMs` passes.
 */
function exchange(port: number, chunks: (string | Buffer)[], waitMs = 3_000): Promise<Exchange> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const started = Date.now();
    let text = '';
    const done = (closedAfterMs: number | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ text, closedAfterMs });
    };
    const timer = setTimeout(() => done(undefined), waitMs);
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('close', () => done(Date.now() - started));
    // A reset after the answer is still a closed connection; what matters is what was read before it.
    socket.on('error', () => undefined);
    socket.on('connect', () => {
      for (const chunk of chunks) socket.write(chunk);
    });
  });
}

function statusLine(text: string): string {
  return text.split('\r\n')[0] ?? '';
}

function header(text: string, name: string): string | undefined {
  const head = text.split('\r\n\r\n')[0] ?? '';
  const line = head.split('\r\n').find((candidate) => candidate.toLowerCase().startsWith(`${name}:`));
  return line?.slice(name.length + 1).trim();
}

describe(`refused uploads close their connection (${backendName})`, () => {
  let app: TestApp;
  let port: number;

  beforeAll(async () => {
    app = await createTestApp({ PARLEY_PUBLIC_URL: 'http://parley.test' });
    await app.parley.server.listen({ port: 0, host: '127.0.0.1' });
    port = (app.parley.server.server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await app.close();
  });

  function signedPath(key: string, maxBytes: number): string {
    const url = new URL(
      app.parley.ctx.storage.signedUrl(key, { method: 'PUT', expiresInSeconds: 60, maxBytes }),
    );
    return `${url.pathname}${url.search}`;
  }

  it('answers 413 at once to a declared length over the link limit, then closes the connection', async () => {
    const path = signedPath('uploads/declared-too-big.bin', 1_000);

    const seen = await exchange(port, [
      `PUT ${path} HTTP/1.1\r\nHost: parley.test\r\nContent-Type: audio/wav\r\nContent-Length: 50000000\r\n\r\n`,
      Buffer.alloc(2_000),
    ]);
    const next = await exchange(port, [
      'GET /health HTTP/1.1\r\nHost: parley.test\r\nConnection: close\r\n\r\n',
    ]);

    expect(statusLine(seen.text)).toBe('HTTP/1.1 413 Payload Too Large');
    expect(header(seen.text, 'connection')).toBe('close');
    expect(seen.closedAfterMs).toBeDefined();
    expect(seen.closedAfterMs).toBeLessThan(2_000);
    expect(statusLine(next.text)).toBe('HTTP/1.1 200 OK');
    expect(await app.parley.ctx.storage.stat('uploads/declared-too-big.bin')).toBeNull();
  });

  it('answers 413 (not a reset) when a chunked body grows past the limit, then closes', async () => {
    const path = signedPath('uploads/streamed-too-big.bin', 1_000);
    const chunk = Buffer.alloc(800, 1);
    const frame = Buffer.concat([
      Buffer.from(`${chunk.length.toString(16)}\r\n`),
      chunk,
      Buffer.from('\r\n'),
    ]);

    // Three chunks over the limit, and no final chunk: the client is still "sending".
    const seen = await exchange(port, [
      `PUT ${path} HTTP/1.1\r\nHost: parley.test\r\nTransfer-Encoding: chunked\r\n\r\n`,
      frame,
      frame,
      frame,
    ]);

    expect(statusLine(seen.text)).toBe('HTTP/1.1 413 Payload Too Large');
    expect(header(seen.text, 'connection')).toBe('close');
    expect(seen.closedAfterMs).toBeLessThan(2_000);
    expect(await app.parley.ctx.storage.stat('uploads/streamed-too-big.bin')).toBeNull();
  });

  it('closes the connection after refusing a bad signature without reading the body', async () => {
    const tampered = signedPath('uploads/tampered.bin', 1_000).replace(
      /signature=([0-9a-f])/,
      (_match, first: string) => `signature=${first === '0' ? '1' : '0'}`,
    );

    const seen = await exchange(port, [
      `PUT ${tampered} HTTP/1.1\r\nHost: parley.test\r\nContent-Length: 500\r\n\r\n`,
      Buffer.alloc(100),
    ]);

    expect(statusLine(seen.text)).toBe('HTTP/1.1 403 Forbidden');
    expect(header(seen.text, 'connection')).toBe('close');
    expect(header(seen.text, 'x-content-type-options')).toBe('nosniff');
    expect(seen.closedAfterMs).toBeLessThan(2_000);
  });

  it('keeps the connection alive after a complete upload', async () => {
    const path = signedPath('uploads/fine.bin', 1_000);

    const seen = await exchange(
      port,
      [
        `PUT ${path} HTTP/1.1\r\nHost: parley.test\r\nContent-Length: 10\r\n\r\n0123456789`,
        'GET /health HTTP/1.1\r\nHost: parley.test\r\nConnection: close\r\n\r\n',
      ],
      3_000,
    );

    expect(statusLine(seen.text)).toBe('HTTP/1.1 201 Created');
    // Both answers came on the one connection: the upload did not end it.
    expect(seen.text.match(/HTTP\/1\.1 \d{3} /g)).toHaveLength(2);
    expect(seen.text).toContain('HTTP/1.1 200 OK');
  });
});
