import type { Config } from './config.js';
import type { Database, Db } from './db/database.js';
import type { Logger } from './logger.js';
import type { Metrics } from './http/metrics.js';
import type { JobRegistry } from './jobs/index.js';
import type { OutboundClient } from './outbound/guarded-fetch.js';
import type { WebhookEngine } from '../core/webhooks/webhook-engine.js';
import type { RealtimeBus } from './realtime/realtime-bus.js';
import type { BlobStorage } from './storage/blob-storage.js';

/** What faces and consumers are handed: the shared services of one running Parley. */
export interface AppContext {
  config: Config;
  database: Database;
  db: Db;
  logger: Logger;
  metrics: Metrics;
  jobs: JobRegistry;
  outbound: OutboundClient;
  webhooks: WebhookEngine;
  bus: RealtimeBus;
  storage: BlobStorage;
}
