import { emptyRuntime, type ModuleRuntime, type ModuleRuntimeDeps } from '../../platform/module-runtime.js';
import { sendScheduledMessageJob } from './send-scheduled-message.job.js';

/** Scheduled messages go out through one durable job per message and time. */
export function createScheduledMessagesRuntime(_deps: ModuleRuntimeDeps): ModuleRuntime {
  return { ...emptyRuntime(), jobs: [sendScheduledMessageJob] };
}
