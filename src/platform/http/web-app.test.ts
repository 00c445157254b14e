import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, injector, TEST_PLATFORM_TOKEN, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { loadConfig } from '../config.js';
import { WEB_APP_CSP, webAppDir } from './web-app.js';

const INDEX_HTML =
  '<!doctype html><html><head><script type="module" src="/assets/app-3f9a.js"></script></head><body><div id="root"></div></body></html>';
const ASSET_JS = 'console.log("parley web");';
const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

describe(`web app static serving (${backendName})`, () => {
  let app: TestApp;
  let root: string;
  let webDir: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'parley-web-'));
    // Not built yet: the directory does not exist when the server starts.
    webDir = path.join(root, 'dist');
    app = await createTestApp({ PARLEY_WEB_DIR: webDir });
  });
  afterAll(async () => {
    await app.close();
    await rm(root, { recursive: true, force: true });
  });

  const inject = (options: Parameters<ReturnType<typeof injector>>[0]) => injector(app)(options);

  it('resolves the default directory to web/dist at the package root', () => {
    const dir = webAppDir(loadConfig({}));
    expect(dir.endsWith(path.join('web', 'dist'))).toBe(true);
    expect(existsSync(path.join(dir, '..', '..', 'package.json'))).toBe(true);
    expect(webAppDir(loadConfig({ PARLEY_WEB_DIR: 'some/where' }))).toBe(path.resolve('some/where'));
  });

  it('answers 503 with a page saying how to build the app while it is not built', async () => {
    const home = await inject({ method: 'GET', url: '/' });
    const clientRoute = await inject({ method: 'GET', url: '/inbox/12', headers: HTML });

    expect(home.statusCode).toBe(503);
    expect(home.headers['content-type']).toContain('text/html');
    expect(home.body).toContain('npm run build:web');
    expect(clientRoute.statusCode).toBe(503);
  });

  describe('once built', () => {
    beforeAll(async () => {
      // Built while the server runs: it must pick the files up without a restart.
      await mkdir(path.join(webDir, 'assets'), { recursive: true });
      await writeFile(path.join(webDir, 'index.html'), INDEX_HTML);
      await writeFile(path.join(webDir, 'assets', 'app-3f9a.js'), ASSET_JS);
    });

    it('serves index.html at / and at client routes with the app CSP and no-cache', async () => {
      for (const url of ['/', '/inbox/12', '/inbox/12?tab=mine', '/settings/profile']) {
        const response = await inject({ method: 'GET', url, headers: HTML });

        expect(response.statusCode, url).toBe(200);
        expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(response.body).toBe(INDEX_HTML);
        expect(response.headers['cache-control']).toBe('no-cache');
        expect(response.headers['content-security-policy']).toBe(WEB_APP_CSP);
        // The rest of helmet's headers stay.
        expect(response.headers['x-frame-options']).toBe('DENY');
        expect(response.headers['x-content-type-options']).toBe('nosniff');
      }
    });

    it('answers 304 to a revalidation with the current ETag', async () => {
      const first = await inject({ method: 'GET', url: '/inbox/1', headers: HTML });
      const etag = first.headers.etag as string;
      const again = await inject({ method: 'GET', url: '/', headers: { ...HTML, 'if-none-match': etag } });

      expect(etag).toMatch(/^".+"$/);
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');
    });

    it('serves hashed assets for a year, immutable', async () => {
      const response = await inject({ method: 'GET', url: '/assets/app-3f9a.js' });

      expect(response.statusCode).toBe(200);
      expect(response.body).toBe(ASSET_JS);
      expect(response.headers['content-type']).toContain('javascript');
      expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    });

    it('answers a missing asset, even one asked for as a page, with the native 404', async () => {
      for (const headers of [{}, HTML]) {
        const response = await inject({ method: 'GET', url: '/assets/app-old.js', headers });

        expect(response.statusCode).toBe(404);
        expect(response.json().error.code).toBe('not_found');
        expect(response.headers['cache-control']).toBe('no-store');
      }
      const escape = await inject({ method: 'GET', url: '/assets/../index.html' });
      expect(escape.body).not.toBe(INDEX_HTML);
    });

    it('keeps unknown API paths the native 404 JSON with the API CSP, even for a browser', async () => {
      const response = await inject({
        method: 'GET',
        url: '/api/unknown',
        headers: { ...HTML, ...bearer(TEST_PLATFORM_TOKEN) },
      });
      const anonymous = await inject({ method: 'GET', url: '/api/unknown', headers: HTML });

      expect(anonymous.statusCode).toBe(401);
      expect(response.statusCode).toBe(404);
      expect(response.headers['content-type']).toContain('application/json');
      expect(response.json().error.code).toBe('not_found');
      expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    });

    it("leaves other faces' and the platform's paths to them", async () => {
      const chatwoot = await inject({ method: 'GET', url: '/chatwoot/api/v1/nowhere', headers: HTML });
      const chatwootJson = await inject({ method: 'GET', url: '/chatwoot/api/v1/nowhere' });
      const metrics = await inject({ method: 'GET', url: '/metrics/nowhere', headers: HTML });
      const health = await inject({ method: 'GET', url: '/health', headers: HTML });
      const docs = await inject({ method: 'GET', url: '/docs/nowhere', headers: HTML });

      expect(chatwoot.statusCode).toBe(chatwootJson.statusCode);
      expect(Object.keys(chatwoot.json())).toEqual(Object.keys(chatwootJson.json()));
      for (const response of [metrics, docs]) {
        expect(response.statusCode).toBe(404);
        expect(response.body).not.toContain('<div id="root">');
      }
      expect(health.json()).toEqual({ status: 'ok' });
    });

    it('answers 404 as before to requests that do not ask for a page', async () => {
      const json = await inject({ method: 'GET', url: '/nope', headers: { accept: 'application/json' } });
      const post = await inject({ method: 'POST', url: '/inbox/12', headers: HTML, payload: {} });

      expect(json.statusCode).toBe(404);
      expect(json.json().error.code).toBe('not_found');
      expect(post.statusCode).toBe(404);
      expect(post.json().error.code).toBe('not_found');
    });

    it('serves a rebuilt index.html at once', async () => {
      const rebuilt = INDEX_HTML.replace('app-3f9a', 'app-77c1');
      await writeFile(path.join(webDir, 'index.html'), rebuilt);
      const response = await inject({ method: 'GET', url: '/', headers: HTML });

      expect(response.body).toBe(rebuilt);
      expect(await readFile(path.join(webDir, 'index.html'), 'utf8')).toBe(rebuilt);
    });
  });
});
