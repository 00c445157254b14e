import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestApp, injector, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';

describe(`signed blob URLs over HTTP (${backendName})`, () => {
  let app: TestApp;
  let dataDir: string;
  let inject: ReturnType<typeof injector>;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'parley-blobs-'));
    app = await createTestApp({ PARLEY_DATA_DIR: dataDir, PARLEY_PUBLIC_URL: 'http://parley.test' });
    inject = injector(app);
  });
  afterAll(async () => {
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  function pathOf(url: string): string {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search}`;
  }

  it('accepts an upload on a signed PUT URL and serves it back, whole and by range', async () => {
    const storage = app.parley.ctx.storage;
    const putUrl = storage.signedUrl('calls/1/audio.wav', {
      method: 'PUT',
      expiresInSeconds: 60,
      maxBytes: 1000,
    });
    const getUrl = storage.signedUrl('calls/1/audio.wav', { expiresInSeconds: 60 });

    const put = await inject({
      method: 'PUT',
      url: pathOf(putUrl),
      headers: { 'content-type': 'audio/wav' },
      payload: Buffer.from('0123456789'),
    });
    const whole = await inject({ method: 'GET', url: pathOf(getUrl) });
    const range = await inject({ method: 'GET', url: pathOf(getUrl), headers: { range: 'bytes=2-5' } });

    expect(putUrl.startsWith('http://parley.test/blobs/calls/1/audio.wav?')).toBe(true);
    expect(put.statusCode).toBe(201);
    expect(put.json()).toMatchObject({ key: 'calls/1/audio.wav', size: 10 });
    expect(whole.body).toBe('0123456789');
    expect(whole.headers['content-type']).toBe('audio/wav');
    expect(range.statusCode).toBe(206);
    expect(range.body).toBe('2345');
    expect(range.headers['content-range']).toBe('bytes 2-5/10');
  });

  it('serves user files with nosniff and a sandboxing CSP, inline only for media', async () => {
    const storage = app.parley.ctx.storage;
    await storage.put('files/page.html', Buffer.from('<script>alert(1)</script>'), {
      contentType: 'text/html; charset=utf-8',
      fileName: 'page.html',
    });
    await storage.put('files/logo.svg', Buffer.from('<svg onload="alert(1)"/>'), {
      contentType: 'image/svg+xml',
    });
    await storage.put('files/photo.jpg', Buffer.from([0xff, 0xd8, 0xff]), { contentType: 'IMAGE/JPEG' });
    await storage.put('files/odd.bin', Buffer.from('x'), { contentType: 'text/html, image/png' });

    const [page, logo, photo, odd] = await Promise.all(
      ['files/page.html', 'files/logo.svg', 'files/photo.jpg', 'files/odd.bin'].map((key) =>
        inject({ method: 'GET', url: pathOf(storage.signedUrl(key, { expiresInSeconds: 60 })) }),
      ),
    );

    for (const response of [page, logo, photo, odd]) {
      expect(response!.statusCode).toBe(200);
      expect(response!.headers['x-content-type-options']).toBe('nosniff');
      expect(response!.headers['content-security-policy']).toBe(
        "default-src 'none'; sandbox; frame-ancestors 'none'",
      );
    }
    expect(page!.headers['content-type']).toBe('text/html');
    expect(page!.headers['content-disposition']).toBe('attachment; filename=page.html');
    expect(logo!.headers['content-disposition']).toBe('attachment; filename=logo.svg');
    expect(photo!.headers['content-type']).toBe('image/jpeg');
    expect(photo!.headers['content-disposition']).toBe('inline; filename=photo.jpg');
    // Not a plain MIME type: served as opaque bytes, and saved rather than shown.
    expect(odd!.headers['content-type']).toBe('application/octet-stream');
    expect(odd!.headers['content-disposition']).toBe('attachment; filename=odd.bin');
  });

  it('gives a non-ASCII file name in both RFC 6266 forms', async () => {
    const storage = app.parley.ctx.storage;
    await storage.put('files/devis.pdf', Buffer.from('%PDF-1.4'), {
      contentType: 'application/pdf',
      fileName: 'devis été 2026.pdf',
    });

    const response = await inject({
      method: 'GET',
      url: pathOf(storage.signedUrl('files/devis.pdf', { expiresInSeconds: 60 })),
    });

    expect(response.headers['content-disposition']).toBe(
      `inline; filename="devis ?t? 2026.pdf"; filename*=UTF-8''devis%20%C3%A9t%C3%A9%202026.pdf`,
    );
  });

  it('refuses an upload over the signed size and stores nothing', async () => {
    const storage = app.parley.ctx.storage;
    const putUrl = storage.signedUrl('calls/2/big.wav', { method: 'PUT', expiresInSeconds: 60, maxBytes: 5 });

    const put = await inject({ method: 'PUT', url: pathOf(putUrl), payload: Buffer.alloc(64) });

    expect(put.statusCode).toBe(413);
    expect(await storage.stat('calls/2/big.wav')).toBeNull();
  });

  it('refuses a tampered signature, a GET link used for PUT, and an expired link with 403', async () => {
    const storage = app.parley.ctx.storage;
    const getUrl = storage.signedUrl('calls/1/audio.wav', { expiresInSeconds: 60 });
    const shortLived = storage.signedUrl('calls/1/audio.wav', { expiresInSeconds: 1 });
    await new Promise((resolve) => setTimeout(resolve, 2100));

    const tampered = await inject({ method: 'GET', url: pathOf(getUrl).replace('audio.wav', 'other.wav') });
    const wrongMethod = await inject({ method: 'PUT', url: pathOf(getUrl), payload: Buffer.from('x') });
    const stale = await inject({ method: 'GET', url: pathOf(shortLived) });

    expect(tampered.statusCode).toBe(403);
    expect(wrongMethod.statusCode).toBe(403);
    expect(stale.statusCode).toBe(403);
    expect(tampered.json().error.message).toBe('Invalid signature');
    expect(tampered.headers['x-content-type-options']).toBe('nosniff');
    expect(tampered.headers['content-security-policy']).toMatch(/sandbox/);
    expect(stale.json().error.message).toBe('This link has expired');
  });
});
