import type { Db } from '../../platform/db/database.js';
import { bearer, injector, TEST_PLATFORM_TOKEN, type TestApp } from '../../testing/app.js';
import { campaignContacts, campaigns } from '../campaigns/campaigns.tables.js';
import { contacts } from '../contacts/contacts.tables.js';
import { dialerAttempts } from './dialer.tables.js';

/** Adds a member through the native API (as the platform) and answers its user id. */
export async function addAgent(
  app: TestApp,
  accountId: number,
  email: string,
  role: 'agent' | 'administrator' = 'agent',
): Promise<number> {
  const response = await injector(app)({
    method: 'POST',
    url: `/api/v1/accounts/${accountId}/members`,
    headers: bearer(TEST_PLATFORM_TOKEN),
    payload: { email, name: email.split('@')[0], role },
  });
  if (response.statusCode !== 201) throw new Error(`add member: ${response.statusCode} ${response.body}`);
  return response.json<{ userId: number }>().userId;
}

function only<T>(rows: T[]): T {
  const [row] = rows;
  if (row === undefined) throw new Error('insert returned no row');
  return row;
}

export interface SeededAttempt {
  campaignId: number;
  campaignContactId: number;
  contactId: number;
  attemptId: number;
}

/**
 * A campaign with one contact and one answered dial of it, written straight to the tables: what
 * the dialer leaves behind before it records the call.
 */
export async function seedAnsweredAttempt(
  db: Db,
  accountId: number,
  options: { agentId: number; contactName?: string; phoneNumber?: string },
): Promise<SeededAttempt> {
  const phoneNumber = options.phoneNumber ?? '33612345678';
  const campaign = only(
    await db
      .insert(campaigns)
      .values({ accountId, name: 'Outbound test', mode: 'progressive', phoneFields: ['mobile'] })
      .returning({ id: campaigns.id }),
  );
  const contact = only(
    await db
      .insert(contacts)
      .values({ accountId, name: options.contactName ?? 'Chloé Client', phoneNumber: `+${phoneNumber}` })
      .returning({ id: contacts.id }),
  );
  const campaignContact = only(
    await db
      .insert(campaignContacts)
      .values({
        accountId,
        campaignId: campaign.id,
        contactNumber: 1,
        contactId: contact.id,
        priority: 10,
        phones: { mobile: `+${phoneNumber}` },
        phoneNumbers: [phoneNumber],
      })
      .returning({ id: campaignContacts.id }),
  );
  const attempt = only(
    await db
      .insert(dialerAttempts)
      .values({
        accountId,
        campaignId: campaign.id,
        campaignContactId: campaignContact.id,
        mode: 'progressive',
        phoneName: 'mobile',
        phoneNumber,
        agentId: options.agentId,
        carrierCallId: `sim-${accountId}-${campaignContact.id}-${Date.now()}`,
        outcome: 'answered',
        answeredAt: new Date(),
        connectedAt: new Date(),
        endedAt: new Date(),
      })
      .returning({ id: dialerAttempts.id }),
  );
  return {
    campaignId: campaign.id,
    campaignContactId: campaignContact.id,
    contactId: contact.id,
    attemptId: attempt.id,
  };
}
