import type { Config } from './config.js';
import type { Db } from './db/database.js';
import type { EventConsumer } from './events/relay.js';
import type { AnyJobDefinition } from './jobs/job-registry.js';
import type { Logger } from './logger.js';
import type { BlobStorage } from './storage/blob-storage.js';
import type { WebhookFormat } from '../core/webhooks/webhook-format.js';

/** What a core module hands the app at start-up: its job handlers, event consumers and webhook formats. */
export interface ModuleRuntime {
  jobs: AnyJobDefinition[];
  consumers: EventConsumer[];
  webhookFormats: WebhookFormat[];
  /** Runs once on worker nodes after the job worker starts (e.g. to schedule recurring jobs). */
  start?(db: Db): Promise<void>;
}

export interface ModuleRuntimeDeps {
  config: Config;
  db: Db;
  logger: Logger;
  storage: BlobStorage;
}

export const emptyRuntime = (): ModuleRuntime => ({ jobs: [], consumers: [], webhookFormats: [] });
