import type { ModuleRuntime, ModuleRuntimeDeps } from '../../platform/module-runtime.js';
import { mediaEngines } from './media-engines.js';
import {
  runExpireImportedFile,
  runImportFile,
  runJobWebhook,
  type MediaJobDeps,
} from './media-job-handlers.js';
import { expireImportedFileJob, importFileJob, mediaJobWebhookJob, withMediaHandler } from './media-jobs.js';

/** The media library's background work: file imports, their webhooks and the clean-up of imported files. */
export function createMediaRuntime(deps: ModuleRuntimeDeps): ModuleRuntime {
  const jobDeps: MediaJobDeps = { ...deps, audio: mediaEngines(deps.config).audio };
  return {
    jobs: [
      withMediaHandler(importFileJob, (payload, ctx) => runImportFile(jobDeps, payload, ctx)),
      withMediaHandler(mediaJobWebhookJob, (payload, ctx) => runJobWebhook(jobDeps, payload, ctx)),
      withMediaHandler(expireImportedFileJob, (payload) => runExpireImportedFile(jobDeps, payload)),
    ],
    consumers: [],
    webhookFormats: [],
  };
}
