import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../platform/db/database.js';
import { backendName, createTestDatabase, type TestDatabase } from '../../testing/database.js';
import { accounts } from '../identity/identity.tables.js';
import { phoneNumbers } from '../numbers/numbers.tables.js';
import { authorizeCli, listAuthorizedClis, mayPresentCli, revokeCli } from './authorized-clis.js';

describe(`authorized CLIs (${backendName})`, () => {
  let testDb: TestDatabase;
  let db: Db;
  let accountId: number;
  let otherId: number;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    db = testDb.database.db;
    const [mine, other] = await db
      .insert(accounts)
      .values([{ name: 'Mine' }, { name: 'Other' }])
      .returning();
    accountId = mine?.id ?? 0;
    otherId = other?.id ?? 0;
    await db.insert(phoneNumbers).values([
      {
        number: '+33140000001',
        countryCode: 'FR',
        localPrefix: '01',
        type: 'GEOGRAPHIC',
        state: 'active',
        accountId,
      },
      { number: '+33140000002', countryCode: 'FR', localPrefix: '01', type: 'GEOGRAPHIC' },
      {
        number: '+33140000003',
        countryCode: 'FR',
        localPrefix: '01',
        type: 'GEOGRAPHIC',
        state: 'active',
        accountId: otherId,
      },
    ]);
  });
  afterAll(async () => {
    await testDb.drop();
  });

  it('validates CLIs by type and relabels an existing one instead of duplicating it', async () => {
    await expect(authorizeCli(db, { accountId, type: 'VOICE', cli: 'ACME' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(authorizeCli(db, { accountId, type: 'SMS', cli: '12345' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await authorizeCli(db, { accountId, type: 'SMS', cli: 'ACME' });
    await authorizeCli(db, { accountId, type: 'VOICE', cli: ' +33611111111 ', label: 'Desk' });
    await authorizeCli(db, {
      accountId,
      type: 'VOICE',
      cli: '+33611111111',
      label: 'Front desk',
      comment: 'ok',
    });

    const voice = await listAuthorizedClis(db, accountId, 'VOICE');
    expect(voice.map(({ cli, label, comment }) => ({ cli, label, comment }))).toEqual([
      { cli: '+33611111111', label: 'Front desk', comment: 'ok' },
    ]);
    expect(await listAuthorizedClis(db, otherId, 'VOICE')).toEqual([]);
  });

  it('lets a call present BLOCKED, its own active DIDs and its authorized VOICE CLIs only', async () => {
    await authorizeCli(db, { accountId, type: 'SMS', cli: '+33622222222' });
    expect(await mayPresentCli(db, accountId, 'BLOCKED')).toBe(true);
    expect(await mayPresentCli(db, accountId, '+33140000001')).toBe(true);
    expect(await mayPresentCli(db, accountId, '+33611111111')).toBe(true);
    // In the store, another account's, or authorized for SMS only: refused.
    expect(await mayPresentCli(db, accountId, '+33140000002')).toBe(false);
    expect(await mayPresentCli(db, accountId, '+33140000003')).toBe(false);
    expect(await mayPresentCli(db, accountId, '+33622222222')).toBe(false);
    expect(await mayPresentCli(db, otherId, '+33611111111')).toBe(false);

    await revokeCli(db, accountId, 'VOICE', '+33611111111');
    expect(await mayPresentCli(db, accountId, '+33611111111')).toBe(false);
    await expect(revokeCli(db, accountId, 'VOICE', '+33611111111')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
