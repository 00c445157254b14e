import { z } from 'zod';
import { defineEvent } from '../../platform/events/event-definition.js';

const accountPayload = z.object({ id: z.number(), name: z.string(), locale: z.string(), status: z.string() });
const memberPayload = z.object({
  accountId: z.number(),
  userId: z.number(),
  role: z.string(),
  availability: z.string(),
});
const apiKeyPayload = z.object({ id: z.number(), name: z.string(), role: z.string() });

/** An account (tenant) was created. */
export const accountCreated = defineEvent({
  type: 'account.created',
  aggregateType: 'account',
  version: 1,
  description: 'An account was created.',
  payloadSchema: accountPayload,
});

/** An account's name, locale, status or settings changed. */
export const accountUpdated = defineEvent({
  type: 'account.updated',
  aggregateType: 'account',
  version: 1,
  description: "An account's name, locale, status or settings changed.",
  payloadSchema: accountPayload,
});

/** A user joined an account. */
export const memberAdded = defineEvent({
  type: 'member.added',
  aggregateType: 'member',
  version: 1,
  description: 'A user was added to the account.',
  payloadSchema: memberPayload,
});

/** A member's role or availability changed. */
export const memberUpdated = defineEvent({
  type: 'member.updated',
  aggregateType: 'member',
  version: 1,
  description: "A member's role or availability changed.",
  payloadSchema: memberPayload,
});

/** A user left an account. */
export const memberRemoved = defineEvent({
  type: 'member.removed',
  aggregateType: 'member',
  version: 1,
  description: 'A user was removed from the account.',
  payloadSchema: memberPayload,
});

/** An API key was issued for the account. */
export const apiKeyCreated = defineEvent({
  type: 'api_key.created',
  aggregateType: 'api_key',
  version: 1,
  description: 'An API key was issued.',
  payloadSchema: apiKeyPayload,
});

/** An API key was revoked and no longer authenticates. */
export const apiKeyRevoked = defineEvent({
  type: 'api_key.revoked',
  aggregateType: 'api_key',
  version: 1,
  description: 'An API key was revoked.',
  payloadSchema: apiKeyPayload,
});
