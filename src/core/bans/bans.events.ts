import { z } from 'zod';
import { defineEvent } from '../../platform/events/event-definition.js';
import { contactSnapshotSchema } from '../contacts/contacts.events.js';

/** users.id of the agent who banned, when a user did (an API key or the system has none). */
const byUserId = z.number().nullable();

export const contactBanned = defineEvent({
  type: 'contact.banned',
  aggregateType: 'contact',
  version: 1,
  description: 'An end user was banned: their contact is blocked and can no longer write in.',
  payloadSchema: z.object({ contact: contactSnapshotSchema, byUserId }),
});

export const contactUnbanned = defineEvent({
  type: 'contact.unbanned',
  aggregateType: 'contact',
  version: 1,
  description: "An end user's ban was lifted.",
  payloadSchema: z.object({ contact: contactSnapshotSchema, byUserId }),
});

export const ipBanned = defineEvent({
  type: 'ip.banned',
  aggregateType: 'banned_ip',
  version: 1,
  description: 'An IP address was banned: end users can no longer write in from it.',
  payloadSchema: z.object({ ip: z.string(), byUserId }),
});

export const ipUnbanned = defineEvent({
  type: 'ip.unbanned',
  aggregateType: 'banned_ip',
  version: 1,
  description: "An IP address's ban was lifted.",
  payloadSchema: z.object({ ip: z.string(), byUserId }),
});
