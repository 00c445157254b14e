import type { ModuleRuntime, ModuleRuntimeDeps } from '../../platform/module-runtime.js';
import { importAddressBookJob, runAddressBookImport } from './address-book-import.js';
import { runCampaignChunk, sendChunkJob } from './campaign-run.js';

/** Address books and broadcast campaigns' background work: CSV imports and campaign chunks. */
export function createBroadcastsRuntime(deps: ModuleRuntimeDeps): ModuleRuntime {
  const importJob: typeof importAddressBookJob = {
    ...importAddressBookJob,
    handler: (payload, ctx) => runAddressBookImport(deps, payload, ctx),
  };
  const chunkJob: typeof sendChunkJob = {
    ...sendChunkJob,
    handler: (payload, ctx) => runCampaignChunk(deps.db, payload, ctx),
  };
  return { jobs: [importJob, chunkJob], consumers: [], webhookFormats: [] };
}
