import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import { randomUUID } from 'node:crypto';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Metrics } from './metrics.js';
import type { TypedApp } from './typed-app.js';

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

// JSON and files are never documents to render: nothing may load, frame or submit from them.
const API_CSP = {
  defaultSrc: ["'none'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
};

// Swagger UI loads its own scripts and styles, sets inline style attributes and shows data: icons.
const DOCS_CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};
const DOCS_PREFIX = '/docs';
const BLOBS_PREFIX = '/blobs/';

export type HttpServer = FastifyInstance;

/**
 * The bare server every face mounts on: request ids, JSON logs, body limit, CORS, security headers
 * (helmet) with `Cache-Control: no-store` by default, and latency metrics by route template (never
 * by raw URL, which would explode label cardinality).
 */
export async function createHttpServer(deps: {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  /** Renders the errors Fastify answers before routing, in the face the path names. */
  frameworkErrors?: FastifyServerOptions['frameworkErrors'];
}): Promise<TypedApp> {
  const { config, logger, metrics } = deps;
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: config.PARLEY_BODY_LIMIT_BYTES,
    requestIdHeader: false,
    genReqId: (request) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
    },
    return503OnClosing: true,
    ...(deps.frameworkErrors && { frameworkErrors: deps.frameworkErrors }),
    forceCloseConnections: 'idle',
    ajv: { customOptions: { coerceTypes: false } },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(cors, {
    origin: config.PARLEY_CORS_ORIGINS.length > 0 ? config.PARLEY_CORS_ORIGINS : false,
    credentials: true,
  });

  // Before helmet's own onRoute hook, which reads `route.helmet`.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith(DOCS_PREFIX)) {
      route.helmet = { contentSecurityPolicy: { useDefaults: false, directives: DOCS_CSP } };
    } else if (route.url.startsWith(BLOBS_PREFIX)) {
      // Attachments are shown by dashboards on other origins (a Chatwoot front end, say).
      route.helmet = { crossOriginResourcePolicy: { policy: 'cross-origin' } };
    }
  });
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: API_CSP },
    frameguard: { action: 'deny' },
    // No page of Parley needs to tell another site where a click came from, and URLs here carry
    // account ids and signed-link signatures: send no Referer at all.
    referrerPolicy: { policy: 'no-referrer' },
    // Whether a whole domain is HTTPS-only is the operator's call (at the TLS proxy), not this app's.
    hsts: { maxAge: 31_536_000, includeSubDomains: false },
  });

  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
    // API answers carry tokens and personal data: no cache may keep them. Routes that know better
    // (static documentation assets) set their own Cache-Control.
    if (!reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpDuration.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  return app as unknown as TypedApp;
}
