import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import type { TypedApp } from './typed-app.js';

/** `npm run build:web`'s output at the package root; three levels up from src/ and dist/ alike. */
const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../../web/dist', import.meta.url));

/** First path segments that belong to the API faces and the platform, never to the app. */
const RESERVED_SEGMENTS = new Set([
  'api',
  'chatwoot',
  'dixa',
  'modjo',
  'diabolocom',
  'callr',
  'docs',
  'health',
  'ready',
  'metrics',
  'blobs',
  'assets',
]);

/**
 * The app's pages may load their own scripts, styles, images and media, and talk to this origin
 * (fetch and the real-time WebSocket); nothing inline, nothing from elsewhere, never framed.
 */
export const WEB_APP_CSP = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "style-src 'self'",
  "script-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Parley</title></head>
<body><h1>The Parley web app is not built</h1>
<p>Run <code>npm run build:web</code> in the Parley directory; the server picks it up at once.
The API is served under <code>/api</code> (documentation at <code>/docs</code>).</p></body></html>
`;

export function webAppDir(config: Config): string {
  return config.PARLEY_WEB_DIR ? path.resolve(config.PARLEY_WEB_DIR) : DEFAULT_WEB_DIR;
}

/**
 * Serves the built web app: `/assets/*` (hashed names, cached for a year) and, for any other page
 * a browser asks for outside the faces' and platform's prefixes, `index.html`, so client-side
 * routes such as `/inbox/12` load the app. Everything else answers exactly as before.
 *
 * The pages are served where the server would otherwise answer 404 at its root: an onRequest hook
 * on the root's not-found handler. A catch-all route would shadow the faces' own not-found
 * handlers (each renders 404 in its face's format). Files are read on each request, so building
 * the app while the server runs takes effect without a restart.
 */
export async function registerWebApp(app: TypedApp, options: { dir: string }): Promise<void> {
  const indexFile = path.join(options.dir, 'index.html');
  await app.register(async (scope) => {
    await scope.register(fastifyStatic, {
      root: path.join(options.dir, 'assets'),
      prefix: '/assets/',
      // swagger-ui registers @fastify/static too; this scope keeps the reply untouched.
      decorateReply: false,
      // Not built yet is a normal state (the pages say so); the library's warning would only alarm.
      suppressWarning: true,
      index: false,
      dotfiles: 'deny',
      // Vite puts a content hash in every asset name: a changed file is a new URL.
      maxAge: 365 * 24 * 60 * 60 * 1000,
      immutable: true,
    });
  });
  app.addHook('onRequest', async (request, reply) => {
    if (!request.is404 || !isAppPage(request)) return;
    await sendIndex(request, reply, indexFile);
    return reply;
  });
}

function isAppPage(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const pathname = request.url.split('?')[0] ?? '/';
  // The home page is the app whatever the client accepts (curl shows the not-built note).
  if (pathname === '/') return true;
  const firstSegment = pathname.split('/')[1] ?? '';
  if (RESERVED_SEGMENTS.has(firstSegment)) return false;
  const accept = request.headers.accept;
  return typeof accept === 'string' && accept.toLowerCase().includes('text/html');
}

async function sendIndex(request: FastifyRequest, reply: FastifyReply, indexFile: string): Promise<void> {
  const html = await readIndex(indexFile);
  if (!html) {
    void reply.status(503).type('text/html; charset=utf-8').send(NOT_BUILT_PAGE);
    return;
  }
  const etag = `"${createHash('sha256').update(html).digest('base64url').slice(0, 27)}"`;
  // no-cache: the browser keeps it but asks each time, so a deploy's new asset names show at once.
  void reply
    .header('cache-control', 'no-cache')
    .header('content-security-policy', WEB_APP_CSP)
    .header('etag', etag);
  if (matchesEtag(request.headers['if-none-match'], etag)) {
    void reply.status(304).send();
    return;
  }
  void reply.type('text/html; charset=utf-8').send(html);
}

async function readIndex(indexFile: string): Promise<Buffer | null> {
  try {
    return await readFile(indexFile);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw error;
  }
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag);
}
