import type { Config } from './config.js';
import type { Database, Db } from './db/database.js';
import type { Logger } from './logger.js';
import type { Metrics } from './http/metrics.js';

/** What faces and consumers are handed: the shared services of one running Parley. */
export interface AppContext {
  config: Config;
  database: Database;
  db: Db;
  logger: Logger;
  metrics: Metrics;
}
