import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../testing/database.js';
import { waitFor } from '../../testing/wait.js';
import { coalescingNotifier, notifyAfterCommit } from './notify-after-commit.js';

describe('coalescingNotifier', () => {
  /** A `send` whose calls stay in flight until the test settles them. */
  function controlledSend() {
    const calls: { channel: string; payload: string; settle: (error?: Error) => void }[] = [];
    const send = (channel: string, payload: string) =>
      new Promise<void>((resolve, reject) => {
        calls.push({ channel, payload, settle: (error) => (error ? reject(error) : resolve()) });
      });
    return { calls, send };
  }
  const settled = () => new Promise((resolve) => setImmediate(resolve));

  it('answers every ask made while one is in flight with one more, per channel and payload', async () => {
    const { calls, send } = controlledSend();
    const notify = coalescingNotifier(send, () => undefined);

    notify('jobs', 'mail');
    notify('jobs', 'mail');
    notify('jobs', 'mail');
    notify('jobs', 'sms');
    expect(calls.map((call) => call.payload)).toEqual(['mail', 'sms']);

    calls[0]?.settle();
    await settled();
    // The asks made during the first NOTIFY may have committed after it was read: one more.
    expect(calls.map((call) => call.payload)).toEqual(['mail', 'sms', 'mail']);
    calls[2]?.settle();
    calls[1]?.settle();
    await settled();
    expect(calls).toHaveLength(3);
  });

  it('reports a failed NOTIFY and sends the next ask', async () => {
    const { calls, send } = controlledSend();
    const failures: unknown[] = [];
    const notify = coalescingNotifier(send, (error) => failures.push(error));

    notify('events', '');
    calls[0]?.settle(new Error('connection lost'));
    await settled();
    notify('events', '');

    expect(failures).toEqual([new Error('connection lost')]);
    expect(calls).toHaveLength(2);
  });
});

/** Only a server database sends notifications after the commit; the embedded one notifies inline. */
describe.skipIf(!process.env.TEST_DATABASE_URL)('notifyAfterCommit on PostgreSQL', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase();
  });
  afterAll(async () => {
    await test.drop();
  });

  it('sends what a transaction asked for once it commits, nothing for a rollback, and leaves the root handle to notify itself', async () => {
    const { database } = test;
    const heard: string[] = [];
    const unlisten = await database.listen('after_commit_test', (payload) => heard.push(payload));
    try {
      await expect(
        database.db.transaction((tx) => {
          expect(notifyAfterCommit(tx, 'after_commit_test', 'rolled back')).toBe(true);
          return Promise.reject(new Error('undo'));
        }),
      ).rejects.toThrow('undo');
      let askedOnRoot: boolean | undefined;
      await database.db.transaction(async (tx) => {
        notifyAfterCommit(tx, 'after_commit_test', 'committed');
        notifyAfterCommit(tx, 'after_commit_test', 'committed');
        askedOnRoot = notifyAfterCommit(database.db, 'after_commit_test', 'root');
        // Asked, not sent: a listener hears nothing before the commit.
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(heard).toEqual([]);
      });

      await waitFor(() => heard.length > 0, { what: 'the notification' });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(heard).toEqual(['committed']);
      expect(askedOnRoot).toBe(false);
      expect(notifyAfterCommit(database.db, 'after_commit_test')).toBe(false);
    } finally {
      await unlisten();
    }
  });
});
