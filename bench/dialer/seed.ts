/**
 * Seeds one campaign for the dialer bench straight into the tables (set-based SQL: the seeding is
 * setup, not what is measured): an account, its agents, a running campaign with Monday–Friday
 * 09:00–17:00 Europe/Paris windows, N contacts with one phone each, and the compliance traps the
 * verdict checks afterwards — 1% of the numbers on the do-not-call list, 2% of the contacts tried
 * the day before at 09:00 (half of them asked for a callback, so only that half may be dialled).
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../src/platform/db/database.js';
import { createAccount } from '../../src/core/identity/accounts.js';
import {
  campaigns,
  type DialingMode,
  type WeeklyWindows,
} from '../../src/core/campaigns/campaigns.tables.js';
import { ensureSystemWrapups } from '../../src/core/campaigns/wrapups.js';

export const BENCH_TIMEZONE = 'Europe/Paris';

/** Monday–Friday from 09:00 to `end` ("17:00" for the full 8-hour day). */
export function benchWindows(end: string): WeeklyWindows {
  const workday = [{ start: '09:00', end }];
  return { '1': workday, '2': workday, '3': workday, '4': workday, '5': workday };
}

export interface SeededCampaign {
  mode: DialingMode;
  accountId: number;
  campaignId: number;
  agentIds: number[];
  /** Wrap-up code ids by name (the account's system codes). */
  wrapups: Map<string, number>;
  doNotCall: number;
  triedBefore: number;
  callbacksBefore: number;
}

/** The digits of contact n's number in campaign slot `slot` (distinct across the bench's campaigns). */
export function benchNumber(slot: number, n: number): string {
  return `336${String(slot).padStart(2, '0')}${String(n).padStart(6, '0')}`;
}

export async function seedCampaign(
  db: Db,
  options: {
    mode: DialingMode;
    slot: number;
    agents: number;
    contacts: number;
    dayStart: Date;
    windowEnd: string;
    /** Numbers on the do-not-call list, spread evenly over the contacts (default 1% of them). */
    doNotCall?: number;
  },
): Promise<SeededCampaign> {
  const account = await createAccount(db, { name: `Dialer bench ${options.mode}` }, { type: 'system' });
  const accountId = account.id;
  const { folderId } = await ensureSystemWrapups(db, accountId);
  const [campaign] = await db
    .insert(campaigns)
    .values({
      accountId,
      name: `Bench ${options.mode}`,
      mode: options.mode,
      isPaused: false,
      customFields: ['phone', 'name'],
      phoneFields: ['phone'],
      wrapupFolderId: folderId,
      timezone: BENCH_TIMEZONE,
      callingWindows: benchWindows(options.windowEnd),
      maxTries: 5,
      nextTryDelay: 3_600,
      retryRules: {
        byOutcome: {
          busy: { maxTries: 3, delaySeconds: 1_800 },
          no_answer: { maxTries: 3, delaySeconds: 3_600 },
          machine: { maxTries: 2, delaySeconds: 7_200 },
          invalid_number: { maxTries: 1, delaySeconds: 0 },
          abandoned: { maxTries: 3, delaySeconds: 600 },
        },
      },
      createdBy: 'bench',
      lastUpdatedBy: 'bench',
    })
    .returning({ id: campaigns.id });
  if (!campaign) throw new Error('campaign not created');
  const campaignId = campaign.id;

  const agents = await queryRows<{ id: number | string }>(
    db,
    sql`INSERT INTO users (name, email)
        SELECT 'Bench agent ' || g, 'agent' || g || '.a' || ${accountId}::bigint || '@dialer-bench.test'
        FROM generate_series(1, ${options.agents}::int) AS g
        RETURNING id`,
  );
  const agentIds = agents.map((row) => Number(row.id));
  await db.execute(sql`
    INSERT INTO account_users (account_id, user_id, role)
    SELECT ${accountId}::bigint, id, 'agent' FROM unnest(${`{${agentIds.join(',')}}`}::bigint[]) AS id`);
  await db.execute(sql`
    INSERT INTO campaign_users (campaign_id, user_id)
    SELECT ${campaignId}::bigint, id FROM unnest(${`{${agentIds.join(',')}}`}::bigint[]) AS id`);

  const slot = options.slot;
  const prefix = `336${String(slot).padStart(2, '0')}`;
  await db.execute(sql`
    WITH people AS (
      INSERT INTO contacts (account_id, name, phone_number)
      SELECT ${accountId}::bigint, 'Contact ' || g, '+' || ${prefix}::text || lpad(g::text, 6, '0')
      FROM generate_series(1, ${options.contacts}::int) AS g
      RETURNING id, phone_number
    )
    INSERT INTO campaign_contacts (account_id, campaign_id, contact_number, contact_id, priority,
                                   phones, phone_numbers, custom_fields, created_by, last_updated_by)
    SELECT ${accountId}::bigint, ${campaignId}::bigint, substr(phone_number, 7)::bigint, id, 10,
           jsonb_build_object('phone', phone_number), ARRAY[substr(phone_number, 2)],
           jsonb_build_object('phone', phone_number, 'name', 'Contact ' || substr(phone_number, 7)::int),
           'bench', 'bench'
    FROM people`);
  await db.execute(sql`
    UPDATE campaigns SET last_contact_number = ${options.contacts}::bigint WHERE id = ${campaignId}`);

  // The traps: every `step`-th number (from the 7th) is on the do-not-call list…
  const doNotCall = Math.max(
    1,
    Math.min(options.contacts, options.doNotCall ?? Math.floor(options.contacts / 100)),
  );
  const step = Math.max(1, Math.floor(options.contacts / doNotCall));
  await db.execute(sql`
    INSERT INTO do_not_call_numbers (account_id, phone_number, reason)
    SELECT ${accountId}::bigint, ${prefix}::text || lpad(g::text, 6, '0'), 'bench: opted out'
    FROM generate_series(least(7, ${options.contacts}::int), ${options.contacts}::int, ${step}::int) AS g
    LIMIT ${doNotCall}::int`);
  // …and contacts n ≡ 0 (mod 50) were dialled the day before (at 09:00 local, inside that day's window),
  // due again now; those with
  // n ≡ 0 (mod 100) asked for that callback (exempt from the 72-hour rule), the others did not.
  const before = new Date(options.dayStart.getTime() - 24 * 3_600_000).toISOString();
  const due = new Date(options.dayStart.getTime() - 3_600_000).toISOString();
  await db.execute(sql`
    UPDATE campaign_contacts
    SET tries_number = 1, last_attempt_at = ${before}::timestamptz, last_call_at = ${before}::timestamptz,
        retry_at = ${due}::timestamptz, is_callback = (contact_number % 100 = 0),
        wrapup_status = 'tocall'
    WHERE campaign_id = ${campaignId} AND contact_number % 50 = 0`);
  await db.execute(sql`
    INSERT INTO dialer_attempts (account_id, campaign_id, campaign_contact_id, mode, phone_name, phone_number,
                                 outcome, placed_at, answered_at, ended_at, created_at, updated_at)
    SELECT account_id, campaign_id, id, ${options.mode}, 'phone', phone_numbers[1], 'answered',
           ${before}::timestamptz, ${before}::timestamptz, ${before}::timestamptz + interval '2 minutes',
           ${before}::timestamptz, ${before}::timestamptz
    FROM campaign_contacts WHERE campaign_id = ${campaignId} AND contact_number % 50 = 0`);

  // Fresh statistics after the bulk load, as autovacuum would give a table loaded this way.
  await db.execute(sql`ANALYZE campaign_contacts, contacts, do_not_call_numbers, dialer_attempts`);
  const codes = await queryRows<{ id: number | string; name: string }>(
    db,
    sql`SELECT id, name FROM wrapup_codes WHERE account_id = ${accountId} AND is_system`,
  );
  return {
    mode: options.mode,
    accountId,
    campaignId,
    agentIds,
    wrapups: new Map(codes.map((code) => [code.name, Number(code.id)])),
    doNotCall,
    triedBefore: Math.floor(options.contacts / 50),
    callbacksBefore: Math.floor(options.contacts / 100),
  };
}
