import type { Config } from '../../platform/config.js';
import type { Db } from '../../platform/db/database.js';
import type { Logger } from '../../platform/logger.js';
import { createOutboundClient } from '../../platform/outbound/guarded-fetch.js';
import type { BlobStorage } from '../../platform/storage/blob-storage.js';
import { createCallUploadHooks } from './call-uploads.js';
import { createCallJobs } from './create-call-jobs.js';
import { createCallEngines } from './engine-factory.js';
import type { CallEngines } from './pipeline/pipeline-deps.js';

/** A recording download may take minutes; webhook calls get seconds. */
export const RECORDING_DOWNLOAD_TIMEOUT_MS = 10 * 60_000;

/**
 * Everything the call pipeline needs at run time, built once by the app: the engines, a guarded
 * HTTP client sized for recordings (same SSRF policy and allowlist as every outbound call), the
 * job handlers and the signed-upload hooks.
 */
export function createCallsRuntime(deps: {
  config: Config;
  db: Db;
  storage: BlobStorage;
  logger: Logger;
  /** Tests swap engines (e.g. a transcriber that hangs, to crash mid-step). */
  engines?: CallEngines;
}) {
  const { config } = deps;
  const outbound = createOutboundClient({
    allowlist: config.PARLEY_OUTBOUND_ALLOWLIST,
    timeoutMs: RECORDING_DOWNLOAD_TIMEOUT_MS,
    maxResponseBytes: config.PARLEY_RECORDING_MAX_BYTES,
    maxRedirects: 3,
  });
  const engines = deps.engines ?? createCallEngines(config, { logger: deps.logger });
  const pipeline = {
    db: deps.db,
    storage: deps.storage,
    outbound,
    engines,
    maxRecordingBytes: config.PARLEY_RECORDING_MAX_BYTES,
    logger: deps.logger,
  };
  const jobs = createCallJobs(pipeline);
  return {
    engines,
    jobs: [jobs.processCall, jobs.expireUpload],
    uploadHooks: createCallUploadHooks({ db: deps.db }),
    close: () => outbound.close(),
  };
}
