/**
 * Seeds the contact-search bench with set-based SQL (setup, not what is measured): an account with
 * 50 agents, a team, the system wrap-ups, a campaign of N contacts and a small second campaign.
 * The campaign's secondary indexes are dropped during the load and rebuilt after it, which is how
 * a bulk load is done and keeps the seeding to about a minute per million rows.
 */
import { and, eq, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../src/platform/db/database.js';
import { createAccount } from '../../src/core/identity/accounts.js';
import { accountUsers, users } from '../../src/core/identity/identity.tables.js';
import { teams } from '../../src/core/teams/teams.tables.js';
import { createCampaign } from '../../src/core/campaigns/campaigns.js';
import {
  campaigns as campaignsTable,
  wrapupCodes,
  type CampaignRow,
} from '../../src/core/campaigns/campaigns.tables.js';

export interface SeededSearch {
  campaign: CampaignRow;
  second: CampaignRow;
  agentIds: number[];
  teamId: number;
  wrapupIds: number[];
}

const CORE_CONTACTS = 50_000;

/** Contact g's number (digits), distinct per campaign slot. */
export function benchPhone(slot: number, g: number): string {
  return `33${slot}${String(g).padStart(8, '0')}`;
}

const ints = (values: number[]) =>
  sql.raw(`ARRAY[${values.map((value) => Math.trunc(value)).join(',')}]::bigint[]`);

async function loadContacts(
  db: Db,
  campaign: CampaignRow,
  slot: number,
  count: number,
  seeded: Omit<SeededSearch, 'campaign' | 'second'>,
) {
  const [first] = await queryRows<{ id: string }>(
    db,
    sql`SELECT min(id) AS id FROM contacts WHERE account_id = ${campaign.accountId}`,
  );
  const firstContact = Number(first?.id);
  const statuses = sql.raw(`ARRAY['arguedpositive','argued','nonargued','unreachable','tocall']`);
  const phone = sql.raw(`'33${slot}' || lpad(g::text, 8, '0')`);
  await db.execute(sql`
    INSERT INTO campaign_contacts (
      account_id, campaign_id, contact_number, contact_id, state, excluded, excluded_detail, priority,
      retry_at, tries_number, wrapup_id, wrapup_status, agent_id, last_agent_id, last_caller_type,
      assigned_agent_id, assigned_group_id, last_call_at, last_attempt_at, region, custom_fields, phones,
      phone_numbers, created_by, last_updated_by, created_at, updated_at)
    SELECT ${campaign.accountId}, ${campaign.id}, g, ${firstContact} + g % ${CORE_CONTACTS},
      CASE WHEN g % 1000 = 0 THEN 'processing_in_progress' ELSE 'processing_not_in_progress' END,
      g % 33 = 0,
      CASE WHEN g % 33 = 0 THEN (ARRAY['noValidPhone','bloctel','manual','duplicate'])[1 + g % 4] END,
      CASE WHEN g % 10 = 0 THEN 1 + g % 20 ELSE 10 END,
      CASE WHEN g % 3 = 0 THEN now() + make_interval(mins => g % 100000) END,
      g % 6,
      CASE WHEN g % 5 <> 0 THEN (${ints(seeded.wrapupIds)})[1 + g % 5] END,
      CASE WHEN g % 5 <> 0 THEN (${statuses})[1 + g % 5] END,
      CASE WHEN g % 5 <> 0 THEN (${ints(seeded.agentIds)})[1 + g % 50] END,
      CASE WHEN g % 5 <> 0 THEN (${ints(seeded.agentIds)})[1 + g % 50] END,
      CASE WHEN g % 5 <> 0 THEN 'agent' END,
      CASE WHEN g % 50 = 0 THEN (${ints(seeded.agentIds)})[1 + (g / 50) % 50] END,
      CASE WHEN g % 70 = 0 THEN ${seeded.teamId}::bigint END,
      CASE WHEN g % 5 <> 0 THEN now() - make_interval(secs => g % 7776000) END,
      CASE WHEN g % 5 <> 0 THEN now() - make_interval(secs => g % 7776000) END,
      CASE WHEN g % 10 = 0 THEN g % 7 END,
      jsonb_build_object(
        'Categorie', CASE WHEN g % 10000 = 0 THEN 'Diamond' ELSE (ARRAY['Gold','Silver','Bronze','Platinum'])[1 + g % 4] END,
        'First_Name', 'Name' || g,
        'City', (ARRAY['Paris','Lyon','Marseille','Lille','Nantes','Nice','Rennes','Brest','Tours','Metz'])[1 + g % 10],
        'Score', (g % 1000)::text,
        'Phone1', ${phone}),
      jsonb_build_object('Phone1', ${phone}),
      ARRAY[${phone}],
      'bench', 'bench',
      now() - interval '100 days' + make_interval(secs => g * 5),
      now() - interval '100 days' + make_interval(secs => g * 5 + g % 86400)
    FROM generate_series(1, ${count}) AS g`);
  await db.execute(sql`UPDATE campaigns SET last_contact_number = ${count} WHERE id = ${campaign.id}`);
}

export async function seedSearch(db: Db, contacts: number): Promise<SeededSearch> {
  const account = await createAccount(db, { name: 'Contact search bench' }, { type: 'system' });
  const accountId = account.id;
  const agents = await db
    .insert(users)
    .values(
      Array.from({ length: 50 }, (_, i) => ({
        name: `Agent ${i}`,
        email: `agent${i}.${accountId}@bench.test`,
      })),
    )
    .returning({ id: users.id });
  const agentIds = agents.map((row) => row.id);
  await db
    .insert(accountUsers)
    .values(agentIds.map((userId) => ({ accountId, userId, role: 'agent' as const })));
  const [team] = await db.insert(teams).values({ accountId, name: 'Bench team' }).returning({ id: teams.id });
  const fields = { customFields: ['Categorie', 'First_Name', 'City', 'Score'], phoneFields: ['Phone1'] };
  const campaign = await createCampaign(
    db,
    accountId,
    { name: 'Bench 1M', mode: 'predictive', ...fields },
    'bench',
  );
  const second = await createCampaign(
    db,
    accountId,
    { name: 'Bench small', mode: 'progressive', ...fields },
    'bench',
  );
  const codes = await db
    .select({ id: wrapupCodes.id, status: wrapupCodes.status })
    .from(wrapupCodes)
    .where(and(eq(wrapupCodes.accountId, accountId), eq(wrapupCodes.isSystem, true)));
  const order = ['arguedpositive', 'argued', 'nonargued', 'unreachable', 'tocall'];
  const wrapupIds = order.map((status) => codes.find((code) => code.status === status)?.id ?? codes[0]!.id);
  await db.execute(sql`
    INSERT INTO contacts (account_id, name, phone_number)
    SELECT ${accountId}, 'Bench ' || g, '+' || '331' || lpad(g::text, 8, '0') FROM generate_series(1, ${CORE_CONTACTS}) AS g`);

  const indexes = await queryRows<{ indexname: string; indexdef: string }>(
    db,
    sql`SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'campaign_contacts' AND indexname <> 'campaign_contacts_pkey'`,
  );
  for (const index of indexes) await db.execute(sql.raw(`DROP INDEX "${index.indexname}"`));
  const seeded = { agentIds, teamId: team!.id, wrapupIds };
  await loadContacts(db, campaign, 1, contacts, seeded);
  await loadContacts(db, second, 2, Math.min(10_000, contacts), seeded);
  for (const index of indexes) await db.execute(sql.raw(index.indexdef));
  await db.execute(sql`VACUUM ANALYZE campaign_contacts`);
  await db.execute(sql`ANALYZE contacts`);
  const [fresh] = await db.select().from(campaignsTable).where(eq(campaignsTable.id, campaign.id));
  return { campaign: fresh ?? campaign, second, ...seeded };
}

/** What `seedSearch` returns, read back from a database it seeded earlier (BENCH_DB). */
export async function loadSeeded(db: Db): Promise<SeededSearch> {
  const [account] = await queryRows<{ id: string }>(
    db,
    sql`SELECT id FROM accounts WHERE name = 'Contact search bench' ORDER BY id DESC LIMIT 1`,
  );
  if (!account) throw new Error('no seeded contact search account in this database');
  const accountId = Number(account.id);
  const rows = await db.select().from(campaignsTable).where(eq(campaignsTable.accountId, accountId));
  const campaign = rows.find((row) => row.name === 'Bench 1M');
  const second = rows.find((row) => row.name === 'Bench small');
  if (!campaign || !second) throw new Error('the seeded campaigns are missing');
  const members = await db
    .select({ id: accountUsers.userId })
    .from(accountUsers)
    .where(eq(accountUsers.accountId, accountId))
    .orderBy(accountUsers.userId);
  const [team] = await db.select({ id: teams.id }).from(teams).where(eq(teams.accountId, accountId));
  const codes = await db
    .select({ id: wrapupCodes.id, status: wrapupCodes.status })
    .from(wrapupCodes)
    .where(and(eq(wrapupCodes.accountId, accountId), eq(wrapupCodes.isSystem, true)));
  const order = ['arguedpositive', 'argued', 'nonargued', 'unreachable', 'tocall'];
  const wrapupIds = order.map((status) => codes.find((code) => code.status === status)?.id ?? codes[0]!.id);
  return {
    campaign,
    second,
    agentIds: members.map((row) => row.id),
    teamId: team!.id,
    wrapupIds,
  };
}
