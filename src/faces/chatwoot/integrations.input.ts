import { z } from 'zod';
import { DomainError } from '../../platform/errors.js';
import { jsonObject } from '../../platform/http/bounded-json.js';
import type { WebhookHookSettings } from '../../core/integrations/index.js';
import { chatwootWebhookEvents } from './webhooks.routes.js';
import { chatwootId } from './admin-schemas.js';

/** The seed types `app_id` as an integer; Chatwoot's app ids are names (`webhook`). Both are read. */
const appId = z.union([z.string().trim().min(1).max(100), z.number().int()]).transform(String);

/** Rails' enum reads 0/1, the names and booleans alike; form bodies send them as text. */
const hookStatus = z
  .union([
    z.literal(0),
    z.literal(1),
    z.boolean(),
    z.enum(['0', '1', 'true', 'false', 'enabled', 'disabled']),
  ])
  .transform(
    (value) => value === 1 || value === true || value === '1' || value === 'true' || value === 'enabled',
  );

/** Seed `integrations_hook_create_payload`. */
export const createHookBody = z.object({
  app_id: appId,
  inbox_id: chatwootId.optional(),
  status: hookStatus.optional(),
  settings: jsonObject().optional(),
});

/** Seed `integrations_hook_update_payload`. */
export const updateHookBody = z.object({
  status: hookStatus.optional(),
  settings: jsonObject().optional(),
});

const httpUrl = z
  .string()
  .max(2000)
  .refine(
    (value) => {
      try {
        const { protocol } = new URL(value);
        return protocol === 'http:' || protocol === 'https:';
      } catch {
        return false;
      }
    },
    { message: 'must be a valid http(s) URL' },
  );

const knownEvents: readonly string[] = chatwootWebhookEvents;

/** A webhook hook's settings: the same fields as an account webhook (seed `webhook_create_update_payload`). */
const webhookSettings = z.strictObject({
  url: httpUrl,
  name: z.string().max(255).nullable().optional(),
  subscriptions: z
    .array(z.string())
    .max(knownEvents.length * 2)
    .refine((names) => names.every((name) => knownEvents.includes(name)), {
      message: `may contain only: ${knownEvents.join(', ')}`,
    })
    .optional(),
});

/** Validates a webhook hook's settings; without `subscriptions` it gets every event, as account webhooks do. */
export function webhookSettingsOf(settings: Record<string, unknown> | undefined): WebhookHookSettings {
  const parsed = webhookSettings.safeParse(settings ?? {});
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => ({
      path: ['settings', ...issue.path.map(String)].join('.'),
      message: issue.message,
    }));
    throw new DomainError(
      'VALIDATION_FAILED',
      `Invalid webhook settings: ${details.map((detail) => `${detail.path} ${detail.message}`).join(', ')}`,
      details,
    );
  }
  const { url, name, subscriptions } = parsed.data;
  return {
    url,
    name: name ?? null,
    events: [...new Set(subscriptions && subscriptions.length > 0 ? subscriptions : knownEvents)],
  };
}
