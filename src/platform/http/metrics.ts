import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  jobOutcomes: Counter<'name' | 'outcome'>;
  webhookDeliveries: Counter<'format' | 'outcome'>;
  /** Set on each scrape from the jobs table. */
  jobQueueDepth: Gauge<'queue' | 'state'>;
}

/** A registry per app instance, so several apps in one test process do not share counters. */
export function createMetrics(
  collectQueueDepth: () => Promise<{ queue: string; state: string; count: number }[]>,
): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'parley_' });
  const httpDuration = new Histogram({
    name: 'parley_http_request_duration_seconds',
    help: 'HTTP request latency by route template',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const jobOutcomes = new Counter({
    name: 'parley_jobs_total',
    help: 'Job runs by job name and outcome (completed, retried, dead)',
    labelNames: ['name', 'outcome'] as const,
    registers: [registry],
  });
  const webhookDeliveries = new Counter({
    name: 'parley_webhook_deliveries_total',
    help: 'Webhook delivery attempts by face format and outcome',
    labelNames: ['format', 'outcome'] as const,
    registers: [registry],
  });
  const jobQueueDepth: Gauge<'queue' | 'state'> = new Gauge({
    name: 'parley_job_queue_depth',
    help: 'Jobs waiting or running, by queue and state',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      jobQueueDepth.reset();
      for (const row of await collectQueueDepth()) {
        jobQueueDepth.set({ queue: row.queue, state: row.state }, row.count);
      }
    },
  });
  return { registry, httpDuration, jobOutcomes, webhookDeliveries, jobQueueDepth };
}
