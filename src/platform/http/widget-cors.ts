import type { TypedApp } from './typed-app.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `false` keeps @fastify/cors out of the route (it reads this flag; its types do not declare it). */
    cors?: false;
  }
}

/**
 * The chat widget's script, which websites on any origin load: under its own name, and where
 * Chatwoot's embed snippet (an inbox's `web_widget_script`) looks for Chatwoot's SDK.
 */
export const WIDGET_SCRIPT_PATHS: readonly string[] = ['/widget.js', '/chatwoot/packs/js/sdk.js'];
/** Chatwoot's client API, which the widget talks to (and its real-time socket lives under). */
export const WIDGET_API_PREFIX = '/chatwoot/public/api/v1/inboxes/';

const ALLOWED_METHODS = 'GET, POST, PATCH';
const ALLOWED_HEADERS = 'content-type';
const PREFLIGHT_MAX_AGE_SECONDS = 600;

export function isWidgetPath(url: string): boolean {
  const pathname = url.split('?')[0] ?? '';
  return WIDGET_SCRIPT_PATHS.includes(pathname) || pathname.startsWith(WIDGET_API_PREFIX);
}

/**
 * Opens the widget's routes, and only them, to every origin: the widget runs on the customer's
 * website, whichever that is. It sends no cookie or token (the visitor is known by the source id
 * in the path), so `Access-Control-Allow-Origin: *` without credentials lends nothing: a page on
 * another origin can do exactly what a script on a server could. Everything else keeps the
 * server-wide policy (PARLEY_CORS_ORIGINS, none by default), so the session cookie and API keys
 * stay unusable from other origins.
 *
 * Registered on the root right after the server is created, so its hook runs after the CORS
 * plugin's and its `*` overrides an allow-listed origin (and drops the credentials flag, which a
 * wildcard may not carry).
 */
export function registerWidgetCors(app: TypedApp): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!isWidgetPath(request.url)) return;
    void reply.header('access-control-allow-origin', '*');
    reply.removeHeader('access-control-allow-credentials');
  });

  // More specific than the CORS plugin's `OPTIONS *`, which answers only allow-listed origins;
  // `cors: false` keeps that plugin out of these preflights.
  app.options(
    `${WIDGET_API_PREFIX}*`,
    { config: { cors: false }, schema: { hide: true } },
    async (_request, reply) =>
      reply
        .status(204)
        .header('access-control-allow-methods', ALLOWED_METHODS)
        .header('access-control-allow-headers', ALLOWED_HEADERS)
        .header('access-control-max-age', String(PREFLIGHT_MAX_AGE_SECONDS))
        .send(),
  );
}
