import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Node ids are the first part of worker ids (`<nodeId>:<pid>:<random>`), so no colon. */
export const NODE_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * This node's stable identity, so that after a crash it recognises the leases its previous
 * process left behind: the configured id, else one generated once and kept in the data directory.
 */
export function resolveNodeId(options: { configured?: string | undefined; dataDir: string }): string {
  if (options.configured) return options.configured;
  const file = path.join(options.dataDir, 'node-id');
  try {
    const stored = readFileSync(file, 'utf8').trim();
    if (NODE_ID_PATTERN.test(stored)) return stored;
  } catch {
    // First start: no file yet.
  }
  const generated = randomUUID();
  mkdirSync(options.dataDir, { recursive: true });
  writeFileSync(file, `${generated}\n`);
  return generated;
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether a worker id of this node belongs to a process that is gone. Only one Parley process runs
 * per node id at a time (the embedded database's data-directory lock guarantees it; with a server,
 * give each process its own PARLEY_NODE_ID or data directory), so a holder that is not this worker
 * is a previous incarnation: dead when it had this very pid (a container restarted as pid 1) or
 * when its pid is no longer alive. A live pid is left alone, in case the assumption is broken.
 */
export function isDeadIncarnation(holder: string, nodeId: string, currentWorkerId: string): boolean {
  if (holder === currentWorkerId || !holder.startsWith(`${nodeId}:`)) return false;
  const pid = Number(holder.slice(nodeId.length + 1).split(':')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return true;
  return pid === process.pid || !isProcessAlive(pid);
}
