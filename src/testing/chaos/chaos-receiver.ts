import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Arrival {
  /** `webhook-id`: stable across retries of one delivery, so repeats are counted, not merged. */
  deliveryId: string;
  /** The message's echo id, read from the event payload. */
  echoId: string | null;
  receivedAt: number;
}

/** What the receiver does with one request: answer, or hold the connection open forever. */
export type ChaosBehaviour = () => { status: number; headers?: Record<string, string> } | 'hang';

export const healthy: ChaosBehaviour = () => ({ status: 200 });
export const hanging: ChaosBehaviour = () => 'hang';
export const retryAfterZero: ChaosBehaviour = () => ({ status: 503, headers: { 'retry-after': '0' } });

/** Fails the given share of requests with a 500, from a seeded generator so a run can be repeated. */
export function flaky(failureRate: number, seed: number): ChaosBehaviour {
  let state = seed >>> 0 || 1;
  const random = () => {
    // xorshift32: small, seedable, good enough to pick which requests fail.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
  return () => (random() < failureRate ? { status: 500 } : { status: 200 });
}

/** Answers after a delay, so deliveries are still in flight when the server is killed. */
export function slow(delayMs: number): ChaosBehaviour {
  return () => ({ status: 200, headers: { 'x-chaos-delay': String(delayMs) } });
}

function echoIdOf(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as { data?: { payload?: { message?: { echoId?: unknown } } } };
    const echoId = parsed.data?.payload?.message?.echoId;
    return typeof echoId === 'string' ? echoId : null;
  } catch {
    return null;
  }
}

/**
 * A webhook receiver on loopback that records every request it is sent (successful or not) with
 * its arrival time. `arrivals` lists the ones it answered 2xx, `attempts` every request.
 */
export async function startChaosReceiver(behaviour: ChaosBehaviour) {
  const arrivals: Arrival[] = [];
  const attempts: Arrival[] = [];
  const handle = (request: IncomingMessage, response: ServerResponse, body: string) => {
    const arrival: Arrival = {
      deliveryId: String(request.headers['webhook-id'] ?? ''),
      echoId: echoIdOf(body),
      receivedAt: Date.now(),
    };
    attempts.push(arrival);
    const answer = behaviour();
    if (answer === 'hang') return;
    const delayMs = Number(answer.headers?.['x-chaos-delay'] ?? 0);
    setTimeout(() => {
      // The sender died while we waited: nothing was delivered, whatever we would have answered.
      if (request.socket.destroyed) return;
      if (answer.status < 300) arrivals.push({ ...arrival, receivedAt: Date.now() });
      response.writeHead(answer.status, answer.headers);
      response.end();
    }, delayMs);
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handle(request, response, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    arrivals,
    attempts,
    /** Echo ids delivered at least once. */
    deliveredEchoIds(): Set<string> {
      return new Set(arrivals.flatMap((arrival) => (arrival.echoId ? [arrival.echoId] : [])));
    },
    /** Deliveries received 2xx more than once: a receiver must dedupe these by `webhook-id`. */
    duplicateDeliveries(): number {
      const seen = new Set<string>();
      let duplicates = 0;
      for (const arrival of arrivals) {
        if (seen.has(arrival.deliveryId)) duplicates += 1;
        seen.add(arrival.deliveryId);
      }
      return duplicates;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type ChaosReceiver = Awaited<ReturnType<typeof startChaosReceiver>>;
