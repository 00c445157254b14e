import Fastify, { type FastifyInstance } from 'fastify';
import cors from '@fastify/cors';
import { randomUUID } from 'node:crypto';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Metrics } from './metrics.js';
import type { TypedApp } from './typed-app.js';

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

export type HttpServer = FastifyInstance;

/**
 * The bare server every face mounts on: request ids, JSON logs, body limit, CORS, and
 * latency metrics by route template (never by raw URL, which would explode label cardinality).
 */
export async function createHttpServer(deps: {
  config: Config;
  logger: Logger;
  metrics: Metrics;
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
    forceCloseConnections: 'idle',
    ajv: { customOptions: { coerceTypes: false } },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(cors, {
    origin: config.PARLEY_CORS_ORIGINS.length > 0 ? config.PARLEY_CORS_ORIGINS : false,
    credentials: true,
  });

  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
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
