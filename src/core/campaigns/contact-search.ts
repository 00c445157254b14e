import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import { parsedJson, queryRows, type Db } from '../../platform/db/database.js';
import { users } from '../identity/identity.tables.js';
import {
  campaignContacts as cc,
  campaigns,
  type CampaignContactRow,
  type CampaignRow,
} from './campaigns.tables.js';
import { contactFilterSql, type ContactFilter } from './contact-filter.js';
import { phoneDigits } from './campaign-contact-phones.js';
import { idSet } from './campaign-contact-references.js';
import { isBlankFieldCondition, planBlankFields } from './contact-search-shapes.js';
import { sampledCount } from './contact-search-sample.js';
import { exactUtc } from '../../platform/db/time-cursor.js';
import { withCustomPlans } from '../../platform/db/named-statements.js';

/** A campaign contact with what its Diabolocom shape shows from other rows. */
export interface ContactView {
  row: CampaignContactRow;
  agentName: string | null;
  campaignDisplayedNumbers: string[];
}

/**
 * Past this many matches the total is the planner's estimate: counting millions of rows on
 * every page would cost more than the page. The seed calls the totals approximate.
 */
export const COUNT_CAP = 10_000;
/** How long the id-order walk may look for a page before the filter's indexes are used instead. */
const PAGE_WALK_BUDGET_MS = 30;
/** How long an exact count may take before the estimate is used instead. */
const COUNT_BUDGET_MS = 40;
/** Up to this many matches (by column statistics), the filter's indexes find them all at once. */
const FEW_MATCHES = 2_000;
/** From this many matches (by column statistics), the id walk finds a page at once. */
const MANY_MATCHES = 100_000;

const viewColumns = {
  row: cc,
  agentName: users.name,
  campaignDisplayedNumbers: campaigns.displayedPhoneNumbers,
};

/** One query for the rows and their relations (the agent's name, the campaign's numbers). */
function selectViews(db: Db, where: SQL | undefined) {
  return db
    .select(viewColumns)
    .from(cc)
    .innerJoin(campaigns, eq(campaigns.id, cc.campaignId))
    .leftJoin(users, eq(users.id, cc.agentId))
    .where(where);
}

export interface SearchPage {
  contacts: ContactView[];
  totalElements: number;
  hasNext: boolean;
}

type SearchParams = {
  campaign: CampaignRow;
  filter: ContactFilter;
  page: number;
  pageSize: number;
  /** An indexed condition equivalent to the filter's blank-field ones (contact-search-shapes.ts). */
  shapes?: SQL | undefined;
};

/**
 * The seed's POST search: filter, page (0-based) and size, ordered by `id`. Like the other
 * searches here, planned for its values every time (withCustomPlans): the strategy reads the
 * planner's estimates for this filter, and a cached generic plan would know none of them.
 */
export function searchContacts(db: Db, input: SearchParams): Promise<SearchPage> {
  return withCustomPlans(() => findContacts(db, input));
}

async function findContacts(db: Db, input: SearchParams): Promise<SearchPage> {
  const blank = await planBlankFields(db, input.campaign, input.filter);
  if (blank.kind === 'empty') return { contacts: [], totalElements: 0, hasNext: false };
  const params = { ...input, shapes: blank.kind === 'shapes' ? blank.condition : undefined };
  const { page, pageSize } = params;
  const { where } = searchQueries(db, params);
  const offset = page * pageSize;
  const plan = await pagePlan(db, params);
  const fetched = await pageRows(db, params, plan, pageSize + 1, offset);
  const hasNext = fetched.length > pageSize;
  const contacts = fetched.slice(0, pageSize);
  // A short page tells the exact total; otherwise count, capped.
  const totalElements =
    hasNext || (contacts.length === 0 && page > 0)
      ? await countMatches(db, where, offset + fetched.length, guessedConditions(params).length > 0)
      : offset + contacts.length;
  return { contacts, totalElements, hasNext };
}

type PagePlan = 'walk' | 'indexes' | 'walk-then-indexes' | 'named';

/**
 * How to find a page in id order. Walking the id index finds one at once when matches are common
 * but reads the whole campaign when they are rare; fetching the matches through the filter's own
 * indexes and sorting them is the reverse. Phones and contact ids name a few contacts: indexes.
 * (`named`: those few are found first, so no other condition's index is read beside them).
 * Otherwise the planner's estimate decides: `walk` for many matches, `indexes` for few, and
 * `walk-then-indexes` (the walk on a time budget) in between. Custom field conditions have no
 * statistics behind their estimate, which is a guess: they never make a filter look rare — only
 * the other conditions, estimated without them, can. Blank-field conditions resolved into shapes
 * are the exception: the shapes' index has statistics, so they count among the known conditions.
 */
async function pagePlan(db: Db, params: SearchParams): Promise<PagePlan> {
  const { filter, campaign, shapes } = params;
  if (filter.phones?.length || filter.contactIds?.length) return 'named';
  const guessed = guessedConditions(params);
  const known = and(scopeWhere(campaign, { ...filter, customFieldConditions: null }), shapes);
  const knownEstimate = await estimateMatches(db, known);
  if (knownEstimate <= FEW_MATCHES) return 'indexes';
  const estimate =
    guessed.length === 0 ? knownEstimate : await estimateMatches(db, scopeWhere(campaign, filter, shapes));
  return estimate >= MANY_MATCHES ? 'walk' : 'walk-then-indexes';
}

/**
 * A page in id order, as `pagePlan` says. On a server the budgeted walk gets PAGE_WALK_BUDGET_MS;
 * past that the matches are fetched through the filter's indexes and sorted (`id + 0` keeps the
 * planner off the id order). The embedded database has no statement timeout: it walks.
 */
async function pageRows(
  db: Db,
  params: SearchParams,
  plan: PagePlan,
  limit: number,
  offset: number,
): Promise<ContactView[]> {
  const where = scopeWhere(params.campaign, params.filter, params.shapes);
  const walk = (tx: Db) => selectViews(tx, where).orderBy(asc(cc.id)).limit(limit).offset(offset);
  if (plan === 'walk') return walk(db);
  if (plan === 'named') {
    const { phones, contactIds } = params.filter;
    const named = await db
      .select({ id: cc.id })
      .from(cc)
      .where(scopeWhere(params.campaign, { phones, contactIds }));
    if (named.length === 0) return [];
    return selectViews(db, and(where, sql`${cc.id} IN ${idSet(named.map((row) => row.id))}`))
      .orderBy(asc(cc.id))
      .limit(limit)
      .offset(offset);
  }
  if (plan === 'walk-then-indexes') {
    try {
      return await db.transaction(async (tx) => {
        await tx.execute(sql.raw(`SET LOCAL statement_timeout = ${PAGE_WALK_BUDGET_MS}`));
        return walk(tx);
      });
    } catch (error) {
      if (!isStatementTimeout(error)) throw error;
    }
  }
  return selectViews(db, where)
    .orderBy(sql`${cc.id} + 0`)
    .limit(limit)
    .offset(offset);
}

/** The custom field conditions no statistics describe: the planner's estimate of them is a guess. */
function guessedConditions({ filter, shapes }: SearchParams) {
  const conditions = filter.customFieldConditions ?? [];
  return shapes ? conditions.filter((item) => !isBlankFieldCondition(item)) : conditions;
}

const scopeWhere = (campaign: CampaignRow, filter: ContactFilter, shapes?: SQL) =>
  and(eq(cc.accountId, campaign.accountId), eq(cc.campaignId, campaign.id), contactFilterSql(filter), shapes);

/** The search's statements, also run as raw SQL by the bench beside `searchContacts`. */
export function searchQueries(db: Db, params: SearchParams) {
  const where = scopeWhere(params.campaign, params.filter, params.shapes);
  const pageQuery = selectViews(db, where)
    .orderBy(asc(cc.id))
    .limit(params.pageSize + 1)
    .offset(params.page * params.pageSize);
  return { where, pageQuery, countQuery: countSql(where) };
}

const countSql = (where: SQL | undefined) =>
  sql`SELECT count(*) AS count FROM (SELECT 1 FROM ${cc} WHERE ${where} LIMIT ${COUNT_CAP}) AS capped`;

/**
 * The total behind a full page. Large results take the planner's estimate (the seed calls totals
 * approximate); smaller ones are counted exactly up to COUNT_CAP, within COUNT_BUDGET_MS on a
 * server — a filter no index serves would otherwise read the whole campaign on every page.
 */
async function countMatches(
  db: Db,
  where: SQL | undefined,
  atLeast: number,
  guessed: boolean,
): Promise<number> {
  const sampled = guessed ? await sampledCount(db, where) : undefined;
  if (sampled !== undefined) return Math.max(sampled, atLeast);
  const estimate = await estimateMatches(db, where);
  if (estimate > COUNT_CAP) return Math.max(estimate, atLeast);
  const exact = await db
    .transaction(async (tx) => {
      await tx.execute(sql.raw(`SET LOCAL statement_timeout = ${COUNT_BUDGET_MS}`));
      const [counted] = await queryRows<{ count: string | number }>(tx, countSql(where));
      return Number(counted?.count ?? 0);
    })
    .catch((error: unknown) => {
      if (isStatementTimeout(error)) return undefined;
      throw error;
    });
  if (exact === undefined || exact >= COUNT_CAP) return Math.max(estimate, exact ?? 0, atLeast);
  return exact;
}

function isStatementTimeout(error: unknown): boolean {
  for (let current = error; current instanceof Object; current = (current as { cause?: unknown }).cause) {
    if ((current as { code?: unknown }).code === '57014') return true;
  }
  return false;
}

/** The planner's row estimate for the filter (EXPLAIN, nothing read). */
async function estimateMatches(db: Db, where: SQL | undefined): Promise<number> {
  const [plan] = await queryRows<Record<string, unknown>>(
    db,
    sql`EXPLAIN (FORMAT JSON) SELECT 1 FROM ${cc} WHERE ${where}`,
  );
  const raw = plan ? Object.values(plan)[0] : undefined;
  const parsed = parsedJson(raw);
  const rows = (parsed as { Plan?: { 'Plan Rows'?: number } }[] | undefined)?.[0]?.Plan?.['Plan Rows'];
  return typeof rows === 'number' ? Math.round(rows) : 0;
}

export interface KeysetPage<TNext> {
  contacts: ContactView[];
  next: TNext | null;
}

/**
 * By phone across the account's campaigns (all, or `campaignIds`), ordered by `id` from
 * `fromId` (inclusive): `next` is the id the following page starts at.
 */
interface ByPhoneParams {
  accountId: number;
  campaignIds?: number[] | null;
  phones?: string[] | null;
  fromId?: number;
  limit: number;
}

export function searchContactsByPhone(db: Db, params: ByPhoneParams): Promise<KeysetPage<number>> {
  return withCustomPlans(() => findContactsByPhone(db, params));
}

async function findContactsByPhone(db: Db, params: ByPhoneParams): Promise<KeysetPage<number>> {
  const digits = (params.phones ?? []).map(phoneDigits).filter(Boolean);
  const where = and(
    eq(cc.accountId, params.accountId),
    params.campaignIds?.length
      ? sql`${cc.campaignId} IN (${sql.join(
          params.campaignIds.map((id) => sql`${id}`),
          sql`, `,
        )})`
      : undefined,
    params.phones?.length
      ? digits.length > 0
        ? sql`${cc.phoneNumbers} && ARRAY[${sql.join(
            digits.map((value) => sql`${value}`),
            sql`, `,
          )}]::text[]`
        : sql`false`
      : undefined,
    params.fromId ? sql`${cc.id} >= ${params.fromId}` : undefined,
  );
  // A few numbers match a few rows: fetch them through the phone index and sort them, rather than
  // walk the account's contacts in id order looking for them (what the planner would pick).
  const order = params.phones?.length ? sql`${cc.id} + 0` : asc(cc.id);
  const fetched = await selectViews(db, where)
    .orderBy(order)
    .limit(params.limit + 1);
  const following = fetched[params.limit];
  return { contacts: fetched.slice(0, params.limit), next: following ? following.row.id : null };
}

export interface DateCursor {
  /** The next contact's `lastUpdatedAt`, to the microsecond. */
  fromDate: string;
  fromId: number;
}

const updatedAtKey = exactUtc(cc.updatedAt);

/**
 * By `lastUpdatedAt` in one campaign, keyset on (updated_at, id): from `fromDate` (and `fromId`
 * within that instant) to `toDate`, both inclusive.
 */
export function searchContactsByDate(db: Db, params: ByDateParams): Promise<KeysetPage<DateCursor>> {
  return withCustomPlans(() => findContactsByDate(db, params));
}

interface ByDateParams {
  campaign: CampaignRow;
  fromDate: string;
  toDate?: string;
  fromId?: number;
  limit: number;
}

async function findContactsByDate(db: Db, params: ByDateParams): Promise<KeysetPage<DateCursor>> {
  const { campaign } = params;
  const where = and(
    eq(cc.accountId, campaign.accountId),
    eq(cc.campaignId, campaign.id),
    params.fromId
      ? sql`(${cc.updatedAt}, ${cc.id}) >= (${params.fromDate}::timestamptz, ${params.fromId})`
      : sql`${cc.updatedAt} >= ${params.fromDate}::timestamptz`,
    params.toDate ? sql`${cc.updatedAt} <= ${params.toDate}::timestamptz` : undefined,
  );
  const fetched = await db
    .select({ ...viewColumns, sortKey: updatedAtKey })
    .from(cc)
    .innerJoin(campaigns, eq(campaigns.id, cc.campaignId))
    .leftJoin(users, eq(users.id, cc.agentId))
    .where(where)
    .orderBy(asc(cc.updatedAt), asc(cc.id))
    .limit(params.limit + 1);
  const following = fetched[params.limit];
  return {
    contacts: fetched.slice(0, params.limit),
    next: following ? { fromDate: following.sortKey, fromId: following.row.id } : null,
  };
}

/** One contact by its per-campaign `contactId`, with its relations: one query. */
export async function loadContactView(
  db: Db,
  campaign: CampaignRow,
  contactNumber: number,
): Promise<ContactView | undefined> {
  const [view] = await selectViews(
    db,
    and(
      eq(cc.accountId, campaign.accountId),
      eq(cc.campaignId, campaign.id),
      eq(cc.contactNumber, contactNumber),
    ),
  );
  return view;
}
