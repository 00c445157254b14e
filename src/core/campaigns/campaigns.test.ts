import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../testing/database.js';
import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { events } from '../../platform/events/events.tables.js';
import { accountUsers, users } from '../identity/identity.tables.js';
import { teams } from '../teams/teams.tables.js';
import { insertAccount } from '../filters/filter-test-kit.js';
import {
  addCampaignFields,
  createCampaign,
  deleteCampaign,
  listCampaigns,
  loadCampaign,
  loadCampaignMembers,
  updateCampaign,
} from './campaigns.js';
import { campaignUsers, wrapupCodes, wrapupFolders } from './campaigns.tables.js';
import {
  createWrapupCode,
  deleteWrapupCode,
  ensureSystemWrapups,
  listWrapupCodes,
  loadSystemWrapupCode,
  loadWrapupCode,
  systemWrapupCodes,
  updateWrapupCode,
} from './wrapups.js';

async function failure(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe('campaigns core', () => {
  let testDb: TestDatabase;
  let db: Db;
  let accountId: number;
  let otherAccountId: number;
  const ids = { agent: 0, outsider: 0, team: 0, otherTeam: 0 };

  beforeAll(async () => {
    testDb = await createTestDatabase();
    db = testDb.database.db;
    accountId = await insertAccount(db);
    otherAccountId = await insertAccount(db, 'Other');
    const [agent, outsider] = await db
      .insert(users)
      .values([
        { name: 'Ann', email: 'ann@example.com' },
        { name: 'Out', email: 'out@example.com' },
      ])
      .returning();
    ids.agent = agent!.id;
    ids.outsider = outsider!.id;
    await db.insert(accountUsers).values([
      { accountId, userId: ids.agent, role: 'agent' },
      { accountId: otherAccountId, userId: ids.outsider, role: 'agent' },
    ]);
    const [team, otherTeam] = await db
      .insert(teams)
      .values([
        { accountId, name: 'Sales' },
        { accountId: otherAccountId, name: 'Sales' },
      ])
      .returning();
    ids.team = team!.id;
    ids.otherTeam = otherTeam!.id;
  });
  afterAll(() => testDb.drop());

  it('creates a paused campaign with the system wrap-up folder and an event', async () => {
    const row = await createCampaign(
      db,
      accountId,
      { name: 'Xmas', mode: 'progressive', customFields: ['firstName'], phoneFields: ['phone1'] },
      'ann@example.com',
    );
    expect(row).toMatchObject({
      name: 'Xmas',
      mode: 'progressive',
      isPaused: true,
      customFields: ['firstName', 'phone1'],
      phoneFields: ['phone1'],
      createdBy: 'ann@example.com',
      lastUpdatedBy: 'ann@example.com',
    });
    const [folder] = await db.select().from(wrapupFolders).where(eq(wrapupFolders.id, row.wrapupFolderId!));
    expect(folder).toMatchObject({ name: 'System', path: 'System', isSystem: true, isLocked: true });
    expect(await loadCampaign(db, accountId, row.id)).toEqual(row);
    expect(await loadCampaign(db, otherAccountId, row.id)).toBeUndefined();
    const recorded = await db
      .select()
      .from(events)
      .where(and(eq(events.type, 'campaign.created'), eq(events.aggregateId, String(row.id))));
    expect(recorded).toHaveLength(1);
  });

  it('refuses bad settings and ids from another account without writing anything', async () => {
    const base = { name: 'Bad', mode: 'preview' as const };
    for (const bad of [
      { timezone: 'Mars/Olympus' },
      { displayedPhoneNumbers: ['+33123456789'] },
      { minCallingDateOffset: 3 },
      { maxAbandonRate: 0.05 },
      { recordingPercentage: 101, isRecorded: true },
      { callingWindows: { '1': [{ start: '18:00', end: '09:00' }] } },
      { userIds: [ids.outsider] },
      { groupIds: [ids.otherTeam] },
      { calendarId: 999_999 },
    ]) {
      const error = await failure(createCampaign(db, accountId, { ...base, ...bad }, 'x'));
      expect(error.code).toBe('VALIDATION_FAILED');
    }
    const { rows } = await listCampaigns(db, accountId, { name: 'Bad' }, { limit: 10 });
    expect(rows).toHaveLength(0);
  });

  it('patches every kind of setting and records who changed it', async () => {
    const row = await createCampaign(db, accountId, { name: 'Patch me', mode: 'predictive' }, 'a');
    const updated = await updateCampaign(
      db,
      accountId,
      row.id,
      {
        userIds: [ids.agent],
        groupIds: [ids.team],
        displayedPhoneNumbers: ['33123456789'],
        isRecorded: true,
        recordingPercentage: 50,
        timezone: 'Europe/Paris',
        callingWindows: { '1': [{ start: '09:00', end: '12:00' }] },
        holidays: ['2026-12-25'],
        retryRules: { byOutcome: { busy: { maxTries: 3, delaySeconds: 600 } } },
        autoPurge: { enabled: true, lastAttemptBeforeDays: 30 },
        globalPriority: 5,
      },
      'bob@example.com',
    );
    expect(updated).toMatchObject({
      lastUpdatedBy: 'bob@example.com',
      createdBy: 'a',
      timezone: 'Europe/Paris',
      holidays: ['2026-12-25'],
      recordingPercentage: 50,
      autoPurge: { enabled: true, lastAttemptBeforeDays: 30 },
    });
    const members = await loadCampaignMembers(db, [row.id]);
    expect(members.get(row.id)).toEqual({
      userIds: [ids.agent],
      unassignedUserIds: [],
      groupIds: [ids.team],
    });
    await db
      .update(campaignUsers)
      .set({ unassignedAt: new Date() })
      .where(eq(campaignUsers.campaignId, row.id));
    await updateCampaign(db, accountId, row.id, { userIds: [] }, 'b');
    expect((await loadCampaignMembers(db, [row.id])).get(row.id)?.unassignedUserIds).toEqual([ids.agent]);
    expect(await updateCampaign(db, otherAccountId, row.id, { name: 'stolen' }, 'x')).toBeUndefined();
  });

  it('archives only paused campaigns, freezes archived ones, and deletes only archived ones', async () => {
    const row = await createCampaign(db, accountId, { name: 'Lifecycle', mode: 'preview' }, 'a');
    await updateCampaign(db, accountId, row.id, { isPaused: false }, 'a');
    expect((await failure(updateCampaign(db, accountId, row.id, { isArchived: true }, 'a'))).code).toBe(
      'VALIDATION_FAILED',
    );
    expect((await failure(deleteCampaign(db, accountId, row.id))).code).toBe('VALIDATION_FAILED');
    await updateCampaign(db, accountId, row.id, { isPaused: true, isArchived: true }, 'a');
    await failure(updateCampaign(db, accountId, row.id, { name: 'again' }, 'a'));
    expect(await deleteCampaign(db, otherAccountId, row.id)).toBeUndefined();
    expect((await deleteCampaign(db, accountId, row.id))?.id).toBe(row.id);
    expect(await loadCampaign(db, accountId, row.id)).toBeUndefined();
  });

  it('adds custom fields and refuses one that exists', async () => {
    const row = await createCampaign(
      db,
      accountId,
      { name: 'Fields', mode: 'preview', customFields: ['a'] },
      'a',
    );
    const updated = await addCampaignFields(
      db,
      accountId,
      row.id,
      [
        { name: 'b', isPhoneNumber: false },
        { name: 'mobile', isPhoneNumber: true },
      ],
      'c',
    );
    expect(updated).toMatchObject({ customFields: ['a', 'b', 'mobile'], phoneFields: ['mobile'] });
    const error = await failure(addCampaignFields(db, accountId, row.id, [{ name: 'a' }], 'c'));
    expect(error.message).toContain('field already exists');
  });

  it('keeps system wrap-ups idempotent and guards them', async () => {
    await Promise.all([ensureSystemWrapups(db, accountId), ensureSystemWrapups(db, accountId)]);
    await ensureSystemWrapups(db, accountId);
    const system = await db
      .select()
      .from(wrapupCodes)
      .where(and(eq(wrapupCodes.accountId, accountId), eq(wrapupCodes.isSystem, true)));
    expect(system).toHaveLength(systemWrapupCodes.length);
    expect(new Set(system.map((code) => code.status))).toEqual(
      new Set(['arguedpositive', 'argued', 'nonargued', 'unreachable', 'tocall']),
    );
    const busy = await loadSystemWrapupCode(db, accountId, 'busy');
    expect(busy).toMatchObject({ name: 'Busy', status: 'unreachable', wrapupPath: 'System' });
    expect((await failure(deleteWrapupCode(db, accountId, busy.id))).code).toBe('INVALID_STATE');
    expect((await updateWrapupCode(db, accountId, busy.id, { isHidden: true }, 'a'))?.isHidden).toBe(true);
    await failure(updateWrapupCode(db, accountId, busy.id, { name: 'Occupied' }, 'a'));
  });

  it('creates, lists, updates and deletes codes, scoped to the account', async () => {
    const code = await createWrapupCode(db, accountId, { name: 'Sold', status: 'arguedpositive' }, 'a');
    expect(code).toMatchObject({ wrapupPath: '', isSystem: false, unpinAfter: null });
    await failure(createWrapupCode(db, accountId, { name: 'Later', status: 'argued', unpinAfter: 60 }, 'a'));
    const { rows, count } = await listWrapupCodes(db, accountId, { name: 'sol' }, { offset: 0, limit: 50 });
    expect(count).toBe(1);
    expect(rows[0]?.id).toBe(code.id);
    expect(await loadWrapupCode(db, otherAccountId, code.id)).toBeUndefined();
    expect(await deleteWrapupCode(db, otherAccountId, code.id)).toBeUndefined();
    expect((await deleteWrapupCode(db, accountId, code.id))?.id).toBe(code.id);
  });
});
