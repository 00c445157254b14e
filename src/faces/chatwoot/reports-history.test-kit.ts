import type { TestApp } from '../../testing/app.js';
import { seedAccount } from '../../testing/app.js';
import { chatwootCaller, seedUser } from './admin-test-kit.js';
import { seedConversations, seedInboxRow, seedLabelRow, seedTeamRow, Story } from './reports.test-kit.js';

export const unix = (iso: string) => Date.parse(iso) / 1000;
export const SINCE = unix('2026-03-02T00:00:00Z');
export const UNTIL = unix('2026-03-05T23:59:59Z');
export const range = `since=${SINCE}&until=${UNTIL}`;

/**
 * A known history, counted by hand (UTC), in account A (and one conversation in account B):
 * c1 Web/Sales/[billing], Ann: Mar 2 09:00 in, 09:10 Ann (first response 600 s), 09:20 + 09:25 in,
 *    09:30 Ann (reply 600 s), 09:40 Ann's private note, 10:00 resolved (3600 s).
 * c2 Mail/Support/[bug], Bob: Mar 2 22:00 in, Mar 3 00:30 Bob (first response 9000 s), 02:00 resolved (14400 s).
 * c3 Web/no team/[billing, bug], Ann: Mar 3 12:00 in; still open, unanswered.
 * c4 Mail/Sales/no label, nobody: Mar 5 08:00 in, 08:01 a bot's message; still open.
 */
export async function seedReportHistory(app: TestApp) {
  const a = await seedAccount(app, 'Acme');
  const b = await seedAccount(app, 'Globex');
  const ann = await seedUser(app, {
    accountId: a.accountId,
    role: 'agent',
    email: 'ann@acme.test',
    name: 'Ann',
  });
  const bob = await seedUser(app, {
    accountId: a.accountId,
    role: 'agent',
    email: 'bob@acme.test',
    name: 'Bob',
  });
  const db = app.parley.ctx.db;
  const ids = {
    web: await seedInboxRow(db, a.accountId, 'Web', 'web_widget'),
    mail: await seedInboxRow(db, a.accountId, 'Mail', 'email'),
    sales: await seedTeamRow(db, a.accountId, 'Sales'),
    support: await seedTeamRow(db, a.accountId, 'Support'),
    billing: await seedLabelRow(db, a.accountId, 'billing'),
    bug: await seedLabelRow(db, a.accountId, 'bug'),
  };
  const [c1, c2, c3, c4] = await seedConversations(db, a.accountId, [
    {
      displayId: 101,
      inboxId: ids.web,
      teamId: ids.sales,
      labels: ['billing'],
      assigneeId: ann.userId,
      status: 'resolved',
      createdAt: new Date('2026-03-02T09:00:00Z'),
    },
    {
      displayId: 102,
      inboxId: ids.mail,
      teamId: ids.support,
      labels: ['bug'],
      assigneeId: bob.userId,
      status: 'resolved',
      createdAt: new Date('2026-03-02T22:00:00Z'),
    },
    {
      displayId: 103,
      inboxId: ids.web,
      labels: ['billing', 'bug'],
      assigneeId: ann.userId,
      status: 'open',
      createdAt: new Date('2026-03-03T12:00:00Z'),
    },
    {
      displayId: 104,
      inboxId: ids.mail,
      teamId: ids.sales,
      status: 'open',
      createdAt: new Date('2026-03-05T08:00:00Z'),
    },
  ]);
  if (!c1 || !c2 || !c3 || !c4) throw new Error('missing conversations');
  const displayIds = { c1: c1.displayId };
  const contact = { senderType: 'contact', senderId: c1.contact.id } as const;
  const asAnn = { senderType: 'user', senderId: ann.userId } as const;
  const asBob = { senderType: 'user', senderId: bob.userId } as const;
  await new Story(a.accountId)
    .created('2026-03-02T09:00:00Z', c1)
    .message('2026-03-02T09:00:00Z', c1, 'incoming', contact)
    .message('2026-03-02T09:10:00Z', c1, 'outgoing', asAnn)
    .message('2026-03-02T09:20:00Z', c1, 'incoming', contact)
    .message('2026-03-02T09:25:00Z', c1, 'incoming', contact)
    .message('2026-03-02T09:30:00Z', c1, 'outgoing', asAnn)
    .message('2026-03-02T09:40:00Z', c1, 'outgoing', asAnn, true)
    .resolved('2026-03-02T10:00:00Z', c1)
    .created('2026-03-02T22:00:00Z', c2)
    .message('2026-03-02T22:00:00Z', c2, 'incoming', contact)
    .message('2026-03-03T00:30:00Z', c2, 'outgoing', asBob)
    .resolved('2026-03-03T02:00:00Z', c2)
    .created('2026-03-03T12:00:00Z', c3)
    .message('2026-03-03T12:00:00Z', c3, 'incoming', contact)
    .created('2026-03-05T08:00:00Z', c4)
    .message('2026-03-05T08:00:00Z', c4, 'incoming', contact)
    .message('2026-03-05T08:01:00Z', c4, 'outgoing', { senderType: 'agent_bot', senderId: 1 })
    .write(db);
  const bInbox = await seedInboxRow(db, b.accountId, 'B web', 'web_widget');
  const [b1] = await seedConversations(db, b.accountId, [
    { displayId: 101, inboxId: bInbox, status: 'open', createdAt: new Date('2026-03-02T12:00:00Z') },
  ]);
  if (!b1) throw new Error('missing conversation');
  await new Story(b.accountId)
    .created('2026-03-02T12:00:00Z', b1)
    .message('2026-03-02T12:00:00Z', b1, 'incoming', { senderType: 'contact', senderId: b1.contact.id })
    .write(db);
  await app.parley.relay.drain();
  return { a, b, ann, bob, ids, displayIds, bInbox };
}

/** GET through the Chatwoot face as account A's administrator (or another token and account). */
export function reportCaller(app: TestApp, a: { accountId: number; apiKey: string }) {
  const call = chatwootCaller(app);
  const get = (path: string, token = a.apiKey, accountId = a.accountId) =>
    call('GET', path.replace(':a', String(accountId)), token);
  return { call, get };
}
