import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { accounts } from '../identity/identity.tables.js';
import { createUser } from '../identity/users.js';
import { addMember } from '../identity/members.js';
import { contacts } from '../contacts/contacts.tables.js';
import { campaignContacts, campaigns, type CampaignRow } from '../campaigns/campaigns.tables.js';
import { CarrierSimulator, type CarrierSimulatorOptions } from '../telephony/carrier-simulator.js';
import { VirtualClock } from '../telephony/clock.js';
import { handleCarrierEvent } from './carrier-events.js';
import type { DialerDeps } from './dialer-deps.js';

const SYSTEM = { type: 'system' } as const;
let sequence = 0;

/** Every day, all day: tests that are not about windows are not stopped by one. */
export const ALWAYS_OPEN = Object.fromEntries(
  ['1', '2', '3', '4', '5', '6', '7'].map((day) => [day, [{ start: '00:00', end: '24:00' }]]),
);

/** An engine on a virtual clock (Monday 2026-01-05 08:00 UTC) and a seeded simulator, events wired. */
export function virtualEngine(
  db: Db,
  options: Partial<Omit<CarrierSimulatorOptions, 'clock'>> & { start?: Date } = {},
) {
  const clock = new VirtualClock(options.start);
  const simulator = new CarrierSimulator({ seed: 7, ...options, clock });
  const errors: unknown[] = [];
  const deps: DialerDeps = { db, placer: simulator, clock, onError: (error) => errors.push(error) };
  simulator.onHandlerError = (error) => errors.push(error);
  simulator.onEvent((event) => handleCarrierEvent(deps, event));
  return { deps, clock, simulator, errors, advance: (ms: number) => clock.advanceAsync(ms) };
}

/** An account with agents, campaigns and contacts written straight to the tables. */
export async function dialerFixture(db: Db) {
  sequence += 1;
  const [account] = await db
    .insert(accounts)
    .values({ name: `Dialer ${sequence}` })
    .returning();
  if (!account) throw new Error('account insert returned no row');
  const accountId = account.id;
  return {
    accountId,
    async agent(): Promise<number> {
      sequence += 1;
      const user = await createUser(db, {
        name: `Agent ${sequence}`,
        email: `agent-${process.pid}-${sequence}@dialer.test`,
      });
      await addMember(db, { accountId, userId: user.id, role: 'agent' }, SYSTEM);
      return user.id;
    },
    async campaign(values: Partial<typeof campaigns.$inferInsert> = {}): Promise<CampaignRow> {
      sequence += 1;
      const [row] = await db
        .insert(campaigns)
        .values({
          accountId,
          name: `Campaign ${sequence}`,
          mode: 'progressive',
          isPaused: false,
          phoneFields: ['mobile'],
          callingWindows: ALWAYS_OPEN,
          ...values,
        })
        .returning();
      if (!row) throw new Error('campaign insert returned no row');
      return row;
    },
    /** Contacts with the given numbers (digits), in order; `values` applies to each. */
    async contacts(
      campaign: CampaignRow,
      items: (Partial<typeof campaignContacts.$inferInsert> & { phone: string })[],
    ): Promise<number[]> {
      const core = await db
        .insert(contacts)
        .values(
          items.map((item) => ({ accountId, name: `Contact ${item.phone}`, phoneNumber: `+${item.phone}` })),
        )
        .returning({ id: contacts.id });
      const [last] = await db
        .update(campaigns)
        .set({ lastContactNumber: sql`${campaigns.lastContactNumber} + ${items.length}` })
        .where(sql`${campaigns.id} = ${campaign.id}`)
        .returning({ last: campaigns.lastContactNumber });
      const first = (last?.last ?? items.length) - items.length + 1;
      const rows = await db
        .insert(campaignContacts)
        .values(
          items.map(({ phone, ...values }, index) => ({
            accountId,
            campaignId: campaign.id,
            contactNumber: first + index,
            contactId: core[index]?.id ?? 0,
            priority: 10,
            phones: { mobile: `+${phone}` },
            phoneNumbers: [phone],
            ...values,
          })),
        )
        .returning({ id: campaignContacts.id });
      return rows.map((row) => row.id);
    },
  };
}
