import { listDeliveries, postMessage, subscribeToMessages, type ChaosTenant } from './chaos-client.js';
import { startChaosReceiver, type ChaosBehaviour, type ChaosReceiver } from './chaos-receiver.js';
import type { ParleyProcess } from './parley-process.js';

export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

/** A receiver subscribed to a tenant's messages. */
export async function attachReceiver(
  parley: ParleyProcess,
  tenant: ChaosTenant,
  behaviour: ChaosBehaviour,
): Promise<{ receiver: ChaosReceiver; webhookId: number }> {
  const receiver = await startChaosReceiver(behaviour);
  const webhookId = await subscribeToMessages(parley.baseUrl, tenant, receiver.url);
  return { receiver, webhookId };
}

async function postOrThrow(parley: ParleyProcess, tenant: ChaosTenant, echoId: string): Promise<void> {
  const answer = await postMessage(parley.baseUrl, tenant, echoId);
  if (answer.status >= 300) throw new Error(`message ${echoId} answered ${answer.status}`);
}

/** Milliseconds from posting a message to its webhook arriving, one message at a time. */
async function measureLatencies(
  parley: ParleyProcess,
  tenant: ChaosTenant,
  receiver: ChaosReceiver,
  prefix: string,
  count: number,
): Promise<number[]> {
  const latencies: number[] = [];
  for (let n = 0; n < count; n += 1) {
    const echoId = `${prefix}-${n}`;
    const started = Date.now();
    await postOrThrow(parley, tenant, echoId);
    const arrived = await waitUntil(() => receiver.deliveredEchoIds().has(echoId), 60_000);
    latencies.push(arrived ? Date.now() - started : Number.POSITIVE_INFINITY);
  }
  return latencies;
}

export interface IsolationReport {
  baselineMaxMs: number;
  duringHangMaxMs: number;
  /** How much later a healthy account's webhook arrives while another account's endpoint hangs. */
  addedDelayMs: number;
  hangingEvents: number;
}

/**
 * Account A's endpoint never answers and A floods it; account B's webhook latency is measured
 * before and during, so the difference is what A's hang costs B.
 */
export async function measureIsolation(
  parley: ParleyProcess,
  hangingTenant: ChaosTenant,
  healthyTenant: ChaosTenant,
  options: { hangingEvents: number; samples: number },
): Promise<IsolationReport> {
  const healthy = await attachReceiver(parley, healthyTenant, () => ({ status: 200 }));
  const hang = await attachReceiver(parley, hangingTenant, () => 'hang');
  try {
    const baseline = await measureLatencies(
      parley,
      healthyTenant,
      healthy.receiver,
      'iso-base',
      options.samples,
    );
    await Promise.all(
      Array.from({ length: options.hangingEvents }, (_, n) =>
        postOrThrow(parley, hangingTenant, `iso-hang-${n}`),
      ),
    );
    // Let the hanging deliveries take whatever capacity they can before B is measured.
    await waitUntil(() => hang.receiver.attempts.length > 0, 10_000);
    const during = await measureLatencies(
      parley,
      healthyTenant,
      healthy.receiver,
      'iso-during',
      options.samples,
    );
    const baselineMaxMs = Math.max(...baseline);
    const duringHangMaxMs = Math.max(...during);
    return {
      baselineMaxMs,
      duringHangMaxMs,
      addedDelayMs: Math.max(0, duringHangMaxMs - baselineMaxMs),
      hangingEvents: options.hangingEvents,
    };
  } finally {
    await healthy.receiver.close();
    await hang.receiver.close();
  }
}

export interface RetryAfterReport {
  windowMs: number;
  attempts: number;
  /** The delivery's state at the end of the window: still `pending` means it was not given up. */
  state: string;
}

/** An endpoint that always answers 503 with `Retry-After: 0`, watched for a while. */
export async function measureRetryAfterZero(
  parley: ParleyProcess,
  tenant: ChaosTenant,
  windowMs: number,
): Promise<RetryAfterReport> {
  const { receiver, webhookId } = await attachReceiver(parley, tenant, () => ({
    status: 503,
    headers: { 'retry-after': '0' },
  }));
  try {
    await postOrThrow(parley, tenant, 'retry-after-zero');
    await waitUntil(() => receiver.attempts.length > 0, 10_000);
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const [delivery] = await listDeliveries(parley.baseUrl, tenant, webhookId);
    return { windowMs, attempts: receiver.attempts.length, state: delivery?.state ?? 'missing' };
  } finally {
    await receiver.close();
  }
}

export interface FlakyReport {
  events: number;
  delivered: number;
  /** Deliveries still scheduled for a retry at the end of the window (not lost). */
  pending: number;
  /** Deliveries given up on. Must be 0 within the retry schedule. */
  failed: number;
  attempts: number;
}

/** A receiver failing a share of requests at random: every event must end delivered or still retrying. */
export async function measureFlakyReceiver(
  parley: ParleyProcess,
  tenant: ChaosTenant,
  behaviour: ChaosBehaviour,
  options: { events: number; windowMs: number },
): Promise<FlakyReport> {
  const { receiver, webhookId } = await attachReceiver(parley, tenant, behaviour);
  try {
    for (let n = 0; n < options.events; n += 1) await postOrThrow(parley, tenant, `flaky-${n}`);
    await waitUntil(() => receiver.deliveredEchoIds().size >= options.events, options.windowMs);
    const deliveries = await listDeliveries(parley.baseUrl, tenant, webhookId);
    const count = (state: string) => deliveries.filter((delivery) => delivery.state === state).length;
    return {
      events: options.events,
      delivered: receiver.deliveredEchoIds().size,
      pending: count('pending'),
      failed: count('failed'),
      attempts: receiver.attempts.length,
    };
  } finally {
    await receiver.close();
  }
}
