import { createRequire } from 'node:module';
import type { Config } from './platform/config.js';
import { createLogger, type Logger } from './platform/logger.js';
import { openDatabase, type Database } from './platform/db/database.js';
import { migrate } from './platform/db/migrate.js';
import { createMetrics } from './platform/http/metrics.js';
import { createHttpServer } from './platform/http/server.js';
import type { TypedApp } from './platform/http/typed-app.js';
import { registerOpsRoutes } from './platform/http/ops.routes.js';
import { registerOpenApi } from './platform/http/openapi.js';
import type { AppContext } from './platform/app-context.js';
import { registerNativeFace } from './faces/native/index.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

export interface Parley {
  ctx: AppContext;
  server: TypedApp;
  /** Starts background work (job workers, event relay). HTTP listening is the caller's choice. */
  startBackground(): Promise<void>;
  close(): Promise<void>;
}

export interface CreateParleyOptions {
  config: Config;
  /** An already open database (tests); otherwise opened from the config and closed with the app. */
  database?: Database;
  logger?: Logger;
}

export async function createParley(options: CreateParleyOptions): Promise<Parley> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config);
  const database =
    options.database ??
    (await openDatabase({ url: config.DATABASE_URL, dataDir: config.PARLEY_DATA_DIR, poolSize: config.DATABASE_POOL_SIZE }));
  const ownsDatabase = !options.database;
  await migrate(database.db);

  const metrics = createMetrics(async () => []);
  const ctx: AppContext = { config, database, db: database.db, logger, metrics };
  const server = await createHttpServer({ config, logger, metrics });
  await registerOpenApi(server, version);
  registerOpsRoutes(server, { database, metrics });
  await registerNativeFace(server, ctx);

  let isClosed = false;
  return {
    ctx,
    server,
    async startBackground() {
      // Workers and the relay attach here.
    },
    async close() {
      if (isClosed) return;
      isClosed = true;
      await server.close();
      if (ownsDatabase) await database.close();
    },
  };
}
