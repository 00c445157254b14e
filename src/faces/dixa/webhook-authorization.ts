import { SEALED_OPTIONS_KEY } from '../../core/webhooks/secret-box.js';
import { z } from 'zod';

/** Seed `WebhookAuthorization`: BasicAuth, TokenAuth or NoAuth, told apart by `_type` as in the seed's examples. */
export const webhookAuthorizationInput = z.discriminatedUnion('_type', [
  z.object({ _type: z.literal('BasicAuth'), username: z.string().max(500), password: z.string().max(500) }),
  z.object({ _type: z.literal('TokenAuth'), value: z.string().min(1).max(4000) }),
  z.object({ _type: z.literal('NoAuth') }),
]);
export type WebhookAuthorizationInput = z.infer<typeof webhookAuthorizationInput>;

/**
 * How a Dixa subscription keeps its outgoing authorization: under the subscription's
 * `options.secrets`, which the webhook engine encrypts at rest (core/webhooks/secret-box.ts) and
 * opens only to deliver or to show the seed's `headers`.
 */
export const storedAuthorization = z.discriminatedUnion('type', [
  z.object({ type: z.literal('basic'), username: z.string(), password: z.string() }),
  z.object({ type: z.literal('token'), value: z.string() }),
  z.object({ type: z.literal('none') }),
]);
export type StoredAuthorization = z.infer<typeof storedAuthorization>;

/** Who created and last changed the subscription (users.uuid), beside the authorization. */
export const dixaSubscriptionOptions = z.object({
  authorization: storedAuthorization.catch({ type: 'none' }),
  createdBy: z.string().nullable().catch(null),
  updatedBy: z.string().nullable().catch(null),
});
export type DixaSubscriptionOptions = z.infer<typeof dixaSubscriptionOptions>;

export function toStoredAuthorization(input: WebhookAuthorizationInput): StoredAuthorization {
  switch (input._type) {
    case 'BasicAuth':
      return { type: 'basic', username: input.username, password: input.password };
    case 'TokenAuth':
      return { type: 'token', value: input.value };
    case 'NoAuth':
      return { type: 'none' };
  }
}

/** The `Authorization` header each delivery carries, as the seed describes it; null for NoAuth. */
export function authorizationHeaderOf(authorization: StoredAuthorization): string | null {
  switch (authorization.type) {
    case 'basic':
      return `Basic ${Buffer.from(`${authorization.username}:${authorization.password}`, 'utf8').toString('base64')}`;
    case 'token':
      return `Bearer ${authorization.value}`;
    case 'none':
      return null;
  }
}

/** Seed `Webhook_Headers_Map_String_String`: the headers added to each request. */
export function headersOf(authorization: StoredAuthorization): Record<string, string> {
  const header = authorizationHeaderOf(authorization);
  return header === null ? {} : { Authorization: header };
}

export function subscriptionOptionsOf(options: Record<string, unknown>): DixaSubscriptionOptions {
  const secrets = options[SEALED_OPTIONS_KEY];
  const authorization =
    typeof secrets === 'object' && secrets !== null
      ? (secrets as Record<string, unknown>).authorization
      : undefined;
  return dixaSubscriptionOptions.parse({ ...options, authorization });
}

/** The subscription's `options` as stored: the authorization among the secrets the engine seals. */
export function storedSubscriptionOptions(options: DixaSubscriptionOptions): Record<string, unknown> {
  const { authorization, ...rest } = options;
  return { ...rest, [SEALED_OPTIONS_KEY]: { authorization } };
}
