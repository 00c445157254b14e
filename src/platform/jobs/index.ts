export {
  exponentialBackoff,
  scheduleBackoff,
  webhookMaxAttempts,
  webhookRetryDelaysMs,
  webhookRetrySchedule,
  type BackoffFn,
  type ExponentialBackoffOptions,
  type ScheduleOptions,
} from './backoff.js';
export {
  enqueue,
  enqueueMany,
  JOBS_CHANNEL,
  type EnqueueItem,
  type EnqueueOptions,
  type JobTarget,
} from './enqueue.js';
export { DeferJobError, LeaseLostError, PermanentJobError, RetryLaterError } from './job-errors.js';
export { postponeByKey, releaseByKey } from './job-store.js';
export { resolveNodeId, NODE_ID_PATTERN } from './node-identity.js';
export {
  cancelJob,
  countPendingByQueue,
  getJob,
  listJobs,
  retryJob,
  type JobPage,
  type ListJobsQuery,
  type QueueDepth,
} from './job-queries.js';
export {
  defineJob,
  JobRegistry,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_QUEUE,
  type AnyJobDefinition,
  type JobContext,
  type JobDefinition,
  type JobInfo,
  type JobSpec,
} from './job-registry.js';
export { LEASE_EXPIRED_ERROR, type JobOutcome } from './job-runner.js';
export { JobWorker, type JobWorkerOptions, type WorkerPoolSpec } from './worker.js';
export { jobs, jobStates, type JobRow, type JobState } from './jobs.tables.js';
