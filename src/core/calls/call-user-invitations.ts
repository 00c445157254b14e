import { and, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import type { EventConsumer } from '../../platform/events/relay.js';
import type { EventRow } from '../../platform/events/events.tables.js';
import { invitationAccepted } from '../identity/invitations.events.js';
import { callUserInvitations } from './call-user-invitations.tables.js';
import { applyCallSettings } from './manage-call-users.js';

async function applyAccepted(tx: Db, event: EventRow): Promise<void> {
  const payload = invitationAccepted.payloadSchema.parse(event.payload);
  const [asked] = await tx
    .select()
    .from(callUserInvitations)
    .where(
      and(
        eq(callUserInvitations.accountId, event.accountId),
        eq(callUserInvitations.invitationId, payload.id),
      ),
    );
  if (!asked) return;
  await applyCallSettings(tx, {
    accountId: event.accountId,
    userId: payload.userId,
    hasLicense: asked.hasLicense,
    language: asked.language,
    teamIds: asked.teamIds,
  });
}

/**
 * When someone accepts an invitation a call tool made (Modjo's bulk creation of an email that
 * already had a user), they get the licence, language and teams it asked for. Run by the event
 * relay in its transaction, so it happens once per acceptance whichever face accepted.
 */
export const callUserInvitationsConsumer: EventConsumer = {
  name: 'call-user-invitations',
  async handle(tx, batch) {
    for (const event of batch) {
      if (event.type === invitationAccepted.type) await applyAccepted(tx, event);
    }
  },
};
