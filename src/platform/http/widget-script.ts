import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { TypedApp } from './typed-app.js';
import { WIDGET_SCRIPT_PATHS } from './widget-cors.js';

/** `npm run build:widget` writes it next to the web app's build (web/vite.config.ts empties that first). */
const WIDGET_FILE_NAME = 'widget.js';

/**
 * Its name is fixed (websites embed the URL), so it cannot be cached for good like the app's
 * hashed assets: browsers keep it five minutes, then revalidate with the ETag.
 */
const CACHE_CONTROL = 'public, max-age=300';

const NOT_BUILT_SCRIPT =
  'console.error("Parley: the chat widget is not built (run `npm run build:web` on the server)");\n';

/**
 * Serves the chat widget's script at `/widget.js` (and at Chatwoot's SDK path). Read on each
 * request (it is small), so a build while the server runs takes effect at once.
 * `Cross-Origin-Resource-Policy: cross-origin`: helmet's default (same-origin) would stop other
 * sites' pages from running it.
 */
export function registerWidgetScript(app: TypedApp, options: { webAppDir: string }): void {
  const file = path.join(options.webAppDir, WIDGET_FILE_NAME);
  for (const url of WIDGET_SCRIPT_PATHS) {
    app.get(
      url,
      {
        helmet: { crossOriginResourcePolicy: { policy: 'cross-origin' } },
        schema: { hide: true },
      },
      async (request, reply) => {
        const script = await readScript(file);
        void reply.type('text/javascript; charset=utf-8');
        if (!script) return reply.status(503).header('cache-control', 'no-store').send(NOT_BUILT_SCRIPT);
        const etag = `"${createHash('sha256').update(script).digest('base64url').slice(0, 27)}"`;
        void reply.header('cache-control', CACHE_CONTROL).header('etag', etag);
        if (request.headers['if-none-match'] === etag) return reply.status(304).send();
        return reply.send(script);
      },
    );
  }
}

async function readScript(file: string): Promise<Buffer | null> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw error;
  }
}
