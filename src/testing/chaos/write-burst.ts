import { listMessages, postMessage, type ChaosTenant } from './chaos-client.js';
import type { ParleyProcess } from './parley-process.js';

/** What the clients of a write burst were told, by echo id. */
export interface WriteLedger {
  /** Answered 2xx: these must exist afterwards, exactly once. */
  acknowledged: Set<string>;
  /** The connection failed or the server answered 5xx: the write may or may not have happened. */
  uncertain: Set<string>;
}

export interface BurstOptions {
  writers: number;
  writesPerWriter: number;
  prefix: string;
  /** Called after each acknowledgement; the burst stops issuing writes once it returns true. */
  shouldStop?: (ledger: WriteLedger) => boolean;
}

/** Concurrent writers, each posting its messages one after another, as a busy integration would. */
export async function runWriteBurst(
  parley: ParleyProcess,
  tenant: ChaosTenant,
  options: BurstOptions,
): Promise<WriteLedger> {
  const ledger: WriteLedger = { acknowledged: new Set(), uncertain: new Set() };
  let isStopped = false;
  const writer = async (index: number) => {
    for (let n = 0; n < options.writesPerWriter && !isStopped; n += 1) {
      const echoId = `${options.prefix}-${index}-${n}`;
      try {
        const answer = await postMessage(parley.baseUrl, tenant, echoId);
        if (answer.status < 300) ledger.acknowledged.add(echoId);
        else if (answer.status >= 500) ledger.uncertain.add(echoId);
        else throw new Error(`write ${echoId} refused with ${answer.status}: ${JSON.stringify(answer.body)}`);
      } catch (error) {
        if (error instanceof Error && error.message.startsWith('write ')) throw error;
        ledger.uncertain.add(echoId);
        // A dead server refuses at once: stop rather than turn every remaining write into a failure.
        isStopped = true;
      }
      if (options.shouldStop?.(ledger)) isStopped = true;
    }
  };
  await Promise.all(Array.from({ length: options.writers }, (_, index) => writer(index)));
  return ledger;
}

export interface WriteReconciliation {
  acknowledged: number;
  uncertain: number;
  /** Uncertain writes found committed after the restart: the client saw an error, the server kept it. */
  committedDespiteError: number;
  /** Acknowledged writes missing after the restart. Must be 0. */
  lost: number;
  /** Echo ids stored more than once after the retries. Must be 0. */
  duplicated: number;
}

/**
 * After the restart: counts what survived, retries every uncertain write with its echo id (which
 * must not create a second message), then checks each write exists exactly once.
 */
export async function reconcileWrites(
  parley: ParleyProcess,
  tenant: ChaosTenant,
  ledger: WriteLedger,
): Promise<WriteReconciliation> {
  const before = new Set((await listMessages(parley.baseUrl, tenant)).map((message) => message.echo_id));
  const committedDespiteError = [...ledger.uncertain].filter((echoId) => before.has(echoId)).length;
  for (const echoId of ledger.uncertain) {
    const answer = await postMessage(parley.baseUrl, tenant, echoId);
    if (answer.status >= 300) throw new Error(`retry of ${echoId} answered ${answer.status}`);
  }
  const counts = new Map<string, number>();
  for (const message of await listMessages(parley.baseUrl, tenant)) {
    if (message.echo_id) counts.set(message.echo_id, (counts.get(message.echo_id) ?? 0) + 1);
  }
  return {
    acknowledged: ledger.acknowledged.size,
    uncertain: ledger.uncertain.size,
    committedDespiteError,
    lost: [...ledger.acknowledged].filter((echoId) => !counts.has(echoId)).length,
    duplicated: [...counts.values()].filter((count) => count > 1).length,
  };
}
