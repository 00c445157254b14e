import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import ipaddr from 'ipaddr.js';
import type { TypedApp } from './typed-app.js';
import { ping, type Database } from '../db/database.js';
import { isMigrated } from '../db/migrate.js';
import type { Config } from '../config.js';
import { DomainError } from '../errors.js';
import { secretsEqual } from '../auth/secrets.js';
import { toProblem } from './problem.js';
import type { Metrics } from './metrics.js';

type MetricsConfig = Pick<Config, 'PARLEY_METRICS_TOKEN' | 'PARLEY_METRICS_LISTEN'>;

// A reverse proxy on the same host makes every client look local; these headers give it away.
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'];

function isLocalClient(request: FastifyRequest): boolean {
  if (FORWARDING_HEADERS.some((name) => request.headers[name] !== undefined)) return false;
  try {
    return ipaddr.process(request.ip).range() === 'loopback';
  } catch {
    return false;
  }
}

function bearerToken(request: FastifyRequest): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '');
  return match?.[1]?.trim();
}

/**
 * Who may scrape: with PARLEY_METRICS_TOKEN, whoever presents it; without one, on the main port,
 * only clients on this host (metrics name routes, queues and volumes: not for the internet). A
 * separate metrics listener is reachable only where the operator bound it, so it needs no more.
 */
function metricsGuard(config: MetricsConfig, options: { isDedicated: boolean }) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const expected = config.PARLEY_METRICS_TOKEN;
    if (expected) {
      const presented = bearerToken(request);
      if (presented && secretsEqual(presented, expected)) return;
      void reply.header('www-authenticate', 'Bearer realm="metrics"');
      throw new DomainError('UNAUTHENTICATED', 'The metrics endpoint needs its bearer token');
    }
    if (options.isDedicated || isLocalClient(request)) return;
    throw new DomainError(
      'FORBIDDEN',
      'Metrics answer only to local clients; set PARLEY_METRICS_TOKEN or PARLEY_METRICS_LISTEN to scrape from elsewhere',
    );
  };
}

export function parseListenAddress(value: string): { host: string; port: number } {
  const separator = value.lastIndexOf(':');
  const host = value.slice(0, separator).replace(/^\[(.*)\]$/, '$1');
  return { host, port: Number(value.slice(separator + 1)) };
}

/** The metrics-only listener: nothing else is routed there, and it starts and stops with the app. */
function serveMetricsApart(app: TypedApp, listen: string, register: (server: FastifyInstance) => void) {
  // Scrapes come every few seconds: log what goes wrong, not every request.
  const server = Fastify({ loggerInstance: app.log.child({ component: 'metrics' }, { level: 'warn' }) });
  server.setErrorHandler((error, _request, reply) => {
    const problem = toProblem(error);
    return reply
      .status(problem.status)
      .send({ error: { code: problem.code.toLowerCase(), message: problem.message } });
  });
  register(server);
  app.addHook('onReady', async () => {
    await server.listen(parseListenAddress(listen));
    app.log.info({ address: listen }, 'metrics listening');
  });
  app.addHook('onClose', async () => {
    await server.close();
  });
}

/** Liveness and readiness, unauthenticated as orchestrators expect; Prometheus metrics, guarded. */
export function registerOpsRoutes(
  app: TypedApp,
  deps: { database: Database; metrics: Metrics; config: MetricsConfig },
): void {
  app.get('/health', { schema: { hide: true } }, () => ({ status: 'ok' }));

  app.get('/ready', { schema: { hide: true } }, async (_request, reply) => {
    try {
      await ping(deps.database.db);
      if (!(await isMigrated(deps.database.db))) {
        return await reply.status(503).send({ status: 'not_ready', reason: 'migrations pending' });
      }
      return { status: 'ready', database: deps.database.kind };
    } catch (error) {
      app.log.warn({ err: error }, 'readiness check failed');
      return reply.status(503).send({ status: 'not_ready', reason: 'database unreachable' });
    }
  });

  const registerMetrics = (server: FastifyInstance, isDedicated: boolean) => {
    server.get(
      '/metrics',
      { schema: { hide: true }, onRequest: metricsGuard(deps.config, { isDedicated }) },
      async (_request, reply) => {
        const body = await deps.metrics.registry.metrics();
        return reply.type(deps.metrics.registry.contentType).send(body);
      },
    );
  };
  const listen = deps.config.PARLEY_METRICS_LISTEN;
  if (listen) serveMetricsApart(app, listen, (server) => registerMetrics(server, true));
  else registerMetrics(app, false);
}
