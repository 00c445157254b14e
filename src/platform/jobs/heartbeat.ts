import type { Database } from '../db/database.js';
import type { Logger } from '../logger.js';
import { LeaseLostError } from './job-errors.js';
import { extendLease, type ClaimedJob } from './job-store.js';

/**
 * Extends the lease every leaseMs/3 while the handler runs. When the row is no longer ours the
 * handler's signal is aborted; once the signal is aborted for any reason, beating stops so the
 * lease can expire and another worker can take the job.
 */
export function startHeartbeat(
  deps: { database: Database; leaseMs: number },
  job: ClaimedJob,
  controller: AbortController,
  log: Logger,
  /** True while the holder itself is releasing the lease (completing): a missing row is then expected. */
  releasing: () => boolean,
): () => void {
  let beating = false;
  const beat = async () => {
    if (beating || controller.signal.aborted) return;
    beating = true;
    try {
      const held = await extendLease(deps.database.db, job, deps.leaseMs);
      if (!held && !releasing()) {
        log.warn('lease lost while the handler was running');
        controller.abort(new LeaseLostError(job.id));
      }
    } catch (error) {
      // A transient database error: the lease may still hold, so keep trying on the next beat.
      log.warn({ err: error }, 'lease heartbeat failed');
    } finally {
      beating = false;
    }
  };
  const timer = setInterval(() => void beat(), Math.max(10, Math.floor(deps.leaseMs / 3)));
  const stop = () => clearInterval(timer);
  controller.signal.addEventListener('abort', stop, { once: true });
  return () => {
    stop();
    controller.signal.removeEventListener('abort', stop);
  };
}
