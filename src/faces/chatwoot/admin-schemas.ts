import { z } from 'zod';

/** Shared zod pieces for the Chatwoot administration routes (accounts, inboxes, teams, bots...). */
export const chatwootId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const accountParams = z.object({ account_id: chatwootId });
export const accountResourceParams = accountParams.extend({ id: chatwootId });

/** Seed `bad_request_error`. */
export const chatwootErrorSchema = z.object({
  description: z.string(),
  errors: z.array(z.object({ field: z.string(), message: z.string(), code: z.string() })),
});

export const chatwootErrors = {
  400: chatwootErrorSchema,
  401: chatwootErrorSchema,
  403: chatwootErrorSchema,
  404: chatwootErrorSchema,
  409: chatwootErrorSchema,
  422: chatwootErrorSchema,
};

/** Chatwoot answers deletions with 200 and an empty body. */
export const emptyBody = z.null();

/** `user_ids` lists as the member endpoints take them. */
export const userIdsSchema = z.array(chatwootId).max(1000);

export function iso(date: Date): string {
  return date.toISOString();
}

/**
 * Chatwoot answers deletions with `head :ok`: status 200 and no body. Fastify skips the serializer
 * for an undefined payload, which the typed reply does not model.
 */
export function sendEmptyOk<R>(reply: { status(code: 200): { send(payload: null): R } }): R {
  return reply.status(200).send(undefined as unknown as null);
}
