import type { Db } from '../../platform/db/database.js';
import type { EventConsumer } from '../../platform/events/relay.js';
import type { JobDefinition } from '../../platform/jobs/index.js';
import type { Logger } from '../../platform/logger.js';
import type { OutboundClient } from '../../platform/outbound/guarded-fetch.js';
import {
  createDeliverWebhookJob,
  type AttemptOutcome,
  type DeliverWebhookPayload,
} from './deliver-webhook.job.js';
import { defaultWebhookPolicy, type WebhookPolicy } from './delivery-policy.js';
import { createWebhookFanOut } from './fan-out.js';
import { WebhookFormats } from './webhook-format.js';

export interface WebhookEngine {
  formats: WebhookFormats;
  policy: WebhookPolicy;
  deliverJob: JobDefinition<DeliverWebhookPayload>;
  /** The outbox consumer that turns events into deliveries. */
  fanOut: EventConsumer;
}

/** The one webhook engine every face shares; faces only register formats on `formats`. */
export function createWebhookEngine(deps: {
  db: Db;
  outbound: OutboundClient;
  logger: Logger;
  policy?: Partial<WebhookPolicy> | undefined;
  onAttempt?: (format: string, outcome: AttemptOutcome) => void;
}): WebhookEngine {
  const formats = new WebhookFormats();
  const policy = { ...defaultWebhookPolicy, ...deps.policy };
  const deliverJob = createDeliverWebhookJob({
    db: deps.db,
    outbound: deps.outbound,
    formats,
    policy,
    ...(deps.onAttempt && { onAttempt: deps.onAttempt }),
  });
  const fanOut = createWebhookFanOut({ formats, deliverJob, logger: deps.logger, policy });
  return { formats, policy, deliverJob, fanOut };
}
