import { and, asc, eq, ilike, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import { campaigns, type CampaignRow, type DialingMode } from './campaigns.tables.js';
import {
  campaignCreated,
  campaignDeleted,
  campaignEventPayload,
  campaignUpdated,
} from './campaigns.events.js';
import {
  campaignChangesSchema,
  campaignCreateSchema,
  newCustomFieldSchema,
  type CampaignChanges,
  type CampaignCreateInput,
  type NewCustomField,
} from './campaign-settings.js';
import { assertChangeAllowed, parseOrFail } from './campaign-validation.js';
import {
  assertAccountCalendar,
  assertAccountMembers,
  assertAccountTeams,
  assertAccountWrapupFolder,
  replaceCampaignGroups,
  replaceCampaignUsers,
} from './campaign-members.js';
import { ensureSystemWrapups } from './wrapup-system.js';
import { armDialerSweep } from '../dialer/dialer-sweep.js';
import { escapeLike } from './wrapups.js';

export type { CampaignRow } from './campaigns.tables.js';
export type { CampaignChanges, CampaignCreateInput, NewCustomField } from './campaign-settings.js';
export { loadCampaignMembers, type CampaignMembers } from './campaign-members.js';

const systemActor: Actor = { type: 'system' };

export async function loadCampaign(
  db: Db,
  accountId: number,
  campaignId: number,
): Promise<CampaignRow | undefined> {
  const [row] = await db
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.accountId, accountId), eq(campaigns.id, campaignId)));
  return row;
}

/** Checks every id a change names belongs to the account, before anything is written. */
async function assertReferences(db: Db, accountId: number, changes: CampaignChanges): Promise<void> {
  if (changes.userIds) await assertAccountMembers(db, accountId, changes.userIds);
  if (changes.groupIds) await assertAccountTeams(db, accountId, changes.groupIds);
  if (changes.calendarId != null) await assertAccountCalendar(db, accountId, changes.calendarId);
  if (changes.wrapupFolderId != null) await assertAccountWrapupFolder(db, accountId, changes.wrapupFolderId);
}

/** The columns a change sets; userIds and groupIds live in their own tables. */
function columnsOf(changes: CampaignChanges): Partial<typeof campaigns.$inferInsert> {
  const { userIds: _users, groupIds: _groups, ...columns } = changes;
  return columns;
}

/**
 * A new campaign, paused, with the account's system wrap-up folder unless another is given.
 * `actor` is the login shown as createdBy (a user's email or an API key's name).
 */
export async function createCampaign(
  db: Db,
  accountId: number,
  input: CampaignCreateInput,
  actor: string,
  eventActor: Actor = systemActor,
): Promise<CampaignRow> {
  const data = parseOrFail(campaignCreateSchema, input);
  assertChangeAllowed(undefined, data);
  await assertReferences(db, accountId, data);
  const { folderId } = await ensureSystemWrapups(db, accountId);
  const { customFields = [], phoneFields = [], ...settings } = data;
  const phones = [...new Set(phoneFields)];
  const fields = [...new Set([...customFields, ...phones])];
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(campaigns)
      .values({
        ...columnsOf(settings),
        accountId,
        name: data.name,
        mode: data.mode,
        wrapupFolderId: data.wrapupFolderId !== undefined ? data.wrapupFolderId : folderId,
        customFields: fields,
        phoneFields: phones,
        createdBy: actor,
        lastUpdatedBy: actor,
      })
      .returning();
    if (!row) throw new Error('campaign was not created');
    if (data.userIds) await replaceCampaignUsers(tx, row.id, data.userIds);
    if (data.groupIds) await replaceCampaignGroups(tx, row.id, data.groupIds);
    await recordEvent(tx, campaignCreated, {
      accountId,
      aggregateId: row.id,
      payload: campaignEventPayload(row),
      actor: eventActor,
    });
    return row;
  });
}

export interface CampaignFilter {
  name?: string | undefined;
  mode?: DialingMode | undefined;
  isPaused?: boolean | undefined;
  isArchived?: boolean | undefined;
}

function campaignWhere(accountId: number, filter: CampaignFilter): SQL | undefined {
  return and(
    eq(campaigns.accountId, accountId),
    filter.name ? ilike(campaigns.name, `%${escapeLike(filter.name)}%`) : undefined,
    filter.mode ? eq(campaigns.mode, filter.mode) : undefined,
    filter.isPaused !== undefined ? eq(campaigns.isPaused, filter.isPaused) : undefined,
    filter.isArchived !== undefined ? eq(campaigns.isArchived, filter.isArchived) : undefined,
  );
}

/** A page of the account's campaigns by id: `afterId` for keyset paging, `offset` for page numbers. */
export async function listCampaigns(
  db: Db,
  accountId: number,
  filter: CampaignFilter,
  page: { limit: number; offset?: number; afterId?: number | undefined },
): Promise<{ rows: CampaignRow[]; count: number }> {
  const where = campaignWhere(accountId, filter);
  const rows = await db
    .select()
    .from(campaigns)
    .where(and(where, page.afterId !== undefined ? sql`${campaigns.id} > ${page.afterId}` : undefined))
    .orderBy(asc(campaigns.id))
    .offset(page.offset ?? 0)
    .limit(page.limit);
  const [total] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(campaigns)
    .where(where);
  return { rows, count: total?.count ?? 0 };
}

async function writeChange(
  db: Db,
  current: CampaignRow,
  set: Partial<typeof campaigns.$inferInsert>,
  members: { userIds?: number[] | null | undefined; groupIds?: number[] | null | undefined },
  actor: string,
  eventActor: Actor,
): Promise<CampaignRow> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(campaigns)
      .set({ ...set, lastUpdatedBy: actor, updatedAt: sql`now()` })
      .where(and(eq(campaigns.accountId, current.accountId), eq(campaigns.id, current.id)))
      .returning();
    if (!row) throw new Error('campaign vanished during update');
    if (members.userIds !== undefined) await replaceCampaignUsers(tx, row.id, members.userIds ?? []);
    if (members.groupIds !== undefined) await replaceCampaignGroups(tx, row.id, members.groupIds ?? []);
    const changed = [...Object.keys(set), ...Object.keys(members)].sort();
    await recordEvent(tx, campaignUpdated, {
      accountId: row.accountId,
      aggregateId: row.id,
      payload: { ...campaignEventPayload(row), changed },
      actor: eventActor,
    });
    // A campaign that runs may have dialling to do: the dialer's sweep ticks it from now on.
    if (!row.isPaused && !row.isArchived) await armDialerSweep(tx);
    return row;
  });
}

/** Applies a patch; undefined when the campaign is not in the account. */
export async function updateCampaign(
  db: Db,
  accountId: number,
  campaignId: number,
  changes: CampaignChanges,
  actor: string,
  eventActor: Actor = systemActor,
): Promise<CampaignRow | undefined> {
  const data = parseOrFail(campaignChangesSchema, changes);
  const current = await loadCampaign(db, accountId, campaignId);
  if (!current) return undefined;
  assertChangeAllowed(current, data);
  await assertReferences(db, accountId, data);
  const members = {
    ...(data.userIds !== undefined && { userIds: data.userIds }),
    ...(data.groupIds !== undefined && { groupIds: data.groupIds }),
  };
  return writeChange(db, current, columnsOf(data), members, actor, eventActor);
}

/** Adds custom fields; a name the campaign already has is refused ("field already exists"). */
export async function addCampaignFields(
  db: Db,
  accountId: number,
  campaignId: number,
  fields: NewCustomField[],
  actor: string,
  eventActor: Actor = systemActor,
): Promise<CampaignRow | undefined> {
  const parsed = fields.map((field) => parseOrFail(newCustomFieldSchema, field));
  const current = await loadCampaign(db, accountId, campaignId);
  if (!current) return undefined;
  if (current.isArchived) {
    throw new DomainError('VALIDATION_FAILED', 'An archived campaign cannot be updated');
  }
  const seen = new Set(current.customFields);
  for (const field of parsed) {
    if (seen.has(field.name)) {
      throw new DomainError('VALIDATION_FAILED', `field already exists: ${field.name}`, [
        { path: 'newCustomFields', message: `field already exists: ${field.name}` },
      ]);
    }
    seen.add(field.name);
  }
  const set = {
    customFields: [...current.customFields, ...parsed.map((field) => field.name)],
    phoneFields: [
      ...current.phoneFields,
      ...parsed.filter((field) => field.isPhoneNumber).map((field) => field.name),
    ],
  };
  return writeChange(db, current, set, {}, actor, eventActor);
}

/**
 * Deletes a campaign for good, with its contacts, batches and dialer history (foreign keys
 * cascade). As the seed says, it must be archived first.
 */
export async function deleteCampaign(
  db: Db,
  accountId: number,
  campaignId: number,
  eventActor: Actor = systemActor,
): Promise<CampaignRow | undefined> {
  const current = await loadCampaign(db, accountId, campaignId);
  if (!current) return undefined;
  if (!current.isArchived) {
    throw new DomainError('VALIDATION_FAILED', 'A campaign must be archived before it is deleted', [
      { path: 'isArchived', message: 'archive the campaign first' },
    ]);
  }
  return db.transaction(async (tx) => {
    const [row] = await tx
      .delete(campaigns)
      .where(and(eq(campaigns.accountId, accountId), eq(campaigns.id, campaignId)))
      .returning();
    if (!row) return undefined;
    await recordEvent(tx, campaignDeleted, {
      accountId,
      aggregateId: row.id,
      payload: campaignEventPayload(row),
      actor: eventActor,
    });
    return row;
  });
}
