import { z } from 'zod';
import { defineEvent } from '../../platform/events/event-definition.js';

/** What the account may know about an invitation: the email it typed, never who owns it. */
const invitationPayload = z.object({ id: z.number(), email: z.string(), role: z.string() });

/** An administrator invited an email to join the account. */
export const invitationCreated = defineEvent({
  type: 'invitation.created',
  aggregateType: 'invitation',
  version: 1,
  description: 'An email was invited to join the account.',
  payloadSchema: invitationPayload,
});

/** The invited person accepted and became a member (a `member.added` event goes with it). */
export const invitationAccepted = defineEvent({
  type: 'invitation.accepted',
  aggregateType: 'invitation',
  version: 1,
  description: 'An invitation was accepted; the person joined the account.',
  payloadSchema: invitationPayload.extend({ userId: z.number() }),
});

/** The invited person declined. */
export const invitationDeclined = defineEvent({
  type: 'invitation.declined',
  aggregateType: 'invitation',
  version: 1,
  description: 'An invitation was declined.',
  payloadSchema: invitationPayload,
});

/** An administrator withdrew a pending invitation. */
export const invitationRevoked = defineEvent({
  type: 'invitation.revoked',
  aggregateType: 'invitation',
  version: 1,
  description: 'A pending invitation was withdrawn.',
  payloadSchema: invitationPayload,
});
