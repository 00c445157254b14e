import { createExpireUploadHandler } from './call-uploads.js';
import { expireCallUploadJob, processCallJob, withHandler } from './calls.jobs.js';
import { createProcessCallHandler } from './pipeline/process-call.js';
import type { CallPipelineDeps } from './pipeline/pipeline-deps.js';

/** The call jobs with their handlers, for the app's registry. */
export function createCallJobs(deps: CallPipelineDeps) {
  return {
    processCall: withHandler(processCallJob, createProcessCallHandler(deps)),
    expireUpload: withHandler(expireCallUploadJob, createExpireUploadHandler(deps)),
  };
}
