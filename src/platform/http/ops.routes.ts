import type { TypedApp } from './typed-app.js';
import { ping, type Database } from '../db/database.js';
import { isMigrated } from '../db/migrate.js';
import type { Metrics } from './metrics.js';

/** Liveness, readiness and Prometheus metrics; unauthenticated, as orchestrators expect. */
export function registerOpsRoutes(app: TypedApp, deps: { database: Database; metrics: Metrics }): void {
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

  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    const body = await deps.metrics.registry.metrics();
    return reply.type(deps.metrics.registry.contentType).send(body);
  });
}
