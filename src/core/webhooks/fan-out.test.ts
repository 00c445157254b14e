import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, isNull } from 'drizzle-orm';
import { createTestApp, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { events } from '../../platform/events/events.tables.js';
import { updateAccount } from '../identity/accounts.js';
import { createSubscription } from './subscriptions.js';
import { webhookDeliveries } from './webhooks.tables.js';

const pause = () => new Promise((resolve) => setTimeout(resolve, 5));

describe(`webhook fan-out (${backendName})`, () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp();
    app.parley.ctx.webhooks.formats.register({
      name: 'broken',
      render: () => {
        throw new Error('this format cannot render anything');
      },
      sign: () => ({ headers: {} }),
      generateSecret: () => 'secret',
    });
  });
  afterAll(async () => {
    await app.close();
  });

  it('skips a format that throws, keeps delivering to the others, and never stalls the outbox', async () => {
    const { db } = app.parley.ctx;
    const { accountId } = await seedAccount(app, 'Fan Out');
    const native = await createSubscription(db, {
      accountId,
      format: 'native',
      secret: 's',
      url: 'https://example.com/ok',
    });
    const broken = await createSubscription(db, {
      accountId,
      format: 'broken',
      secret: 's',
      url: 'https://example.com/x',
    });

    await updateAccount(db, accountId, { name: 'Fanned' }, { type: 'system' });
    await app.parley.relay.drain();

    const pending = await db
      .select()
      .from(events)
      .where(and(eq(events.accountId, accountId), isNull(events.dispatchedAt)));
    const rows = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.accountId, accountId));
    expect(pending).toEqual([]);
    expect(rows.filter((row) => row.subscriptionId === native.id).map((row) => row.eventType)).toContain(
      'account.updated',
    );
    expect(rows.filter((row) => row.subscriptionId === broken.id)).toEqual([]);
  });

  it('creates one delivery per event and subscription in a batch, only for subscribed event types', async () => {
    const { db } = app.parley.ctx;
    const { accountId } = await seedAccount(app, 'Batch');
    await app.parley.relay.drain();
    const all = await createSubscription(db, {
      accountId,
      format: 'native',
      secret: 's',
      url: 'https://example.com/all',
    });
    const some = await createSubscription(db, {
      accountId,
      format: 'native',
      secret: 's',
      url: 'https://example.com/some',
      events: ['api_key.created'],
    });

    for (const name of ['One', 'Two', 'Three'])
      await updateAccount(db, accountId, { name }, { type: 'system' });
    await app.parley.relay.drain();

    const rows = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.accountId, accountId));
    expect(rows.filter((row) => row.subscriptionId === all.id)).toHaveLength(3);
    expect(rows.filter((row) => row.subscriptionId === some.id)).toHaveLength(0);
  });

  it('does not deliver an event that was still in the outbox when the subscription was made', async () => {
    const { db } = app.parley.ctx;
    const { accountId } = await seedAccount(app, 'Before');
    await app.parley.relay.drain();
    await updateAccount(db, accountId, { name: 'Before the hook' }, { type: 'system' });
    await pause(); // the comparison is at the millisecond a JavaScript Date keeps
    const late = await createSubscription(db, {
      accountId,
      format: 'native',
      secret: 's',
      url: 'https://example.com/late',
    });
    await pause();
    await updateAccount(db, accountId, { name: 'After the hook' }, { type: 'system' });
    await app.parley.relay.drain();

    const rows = await db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.subscriptionId, late.id));
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows[0]!.body)).toContain('After the hook');
  });
});
