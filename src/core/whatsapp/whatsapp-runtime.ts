import type { JobContext } from '../../platform/jobs/index.js';
import type { ModuleRuntime, ModuleRuntimeDeps } from '../../platform/module-runtime.js';
import type { ParsedWhatsappEvent } from './whatsapp-inbound.schema.js';
import { receiveWhatsappEvent } from './receive-whatsapp-event.js';
import { createWhatsappReplyConsumer, sendWhatsappReply } from './whatsapp-replies.js';
import {
  sendWhatsappMessageJob,
  whatsappInboundEventJob,
  type SendWhatsappMessagePayload,
} from './whatsapp.jobs.js';

/**
 * WhatsApp: provider events queued by an adapter's webhook are applied by a durable job, and
 * agents' replies in WhatsApp inboxes go out through the provider by another. Group operations
 * themselves answer synchronously (the API returns the provider's answer).
 */
export function createWhatsappRuntime(deps: ModuleRuntimeDeps): ModuleRuntime {
  return {
    jobs: [
      {
        ...whatsappInboundEventJob,
        // The provider may be called (an unknown group's metadata), so the work runs outside the
        // job's own transaction, which then only marks it done; redelivery is idempotent.
        handler: async (payload: ParsedWhatsappEvent, ctx: JobContext) => {
          await receiveWhatsappEvent(deps.db, payload);
          await ctx.complete(() => Promise.resolve());
        },
      },
      {
        ...sendWhatsappMessageJob,
        handler: (payload: SendWhatsappMessagePayload, ctx: JobContext) =>
          sendWhatsappReply(deps.db, payload, ctx),
      },
    ],
    consumers: [createWhatsappReplyConsumer()],
    webhookFormats: [],
  };
}
