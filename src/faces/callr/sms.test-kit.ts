import { and, asc, eq } from 'drizzle-orm';
import { expect } from 'vitest';
import type { SmsSnapshot } from '../../core/sms/sms.events.js';
import type { Db } from '../../platform/db/database.js';
import { events } from '../../platform/events/events.tables.js';
import type { CallrTestAccount, Inject } from './callr-test-kit.js';
import { decodeHash } from './hash-ids.js';
import type { CallrSms } from './sms.map.js';

/** What sms.test.ts reads: CALLR SMS objects, sms events, and the same SMS through the Chatwoot face. */

export const SMS_FIELDS = [
  'b_customer_debit',
  'b_customer_mode',
  'date_creation',
  'date_received',
  'date_sent',
  'date_update',
  'encoding',
  'from',
  'hash',
  'nature',
  'options',
  'parts',
  'status',
  'status_error',
  'text',
  'to',
  'type',
  'user_data',
];
export const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

export async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface ChatwootConversation {
  id: number;
  inbox_id: number;
  meta: { sender: { phone_number: string | null; name: string } };
}
export interface ChatwootMessage {
  content: string;
  message_type: number;
  status: string;
  source_id: string | null;
  content_attributes: Record<string, unknown>;
}

const finalStatuses = new Set(['RECEIVED', 'FAILED', 'EXPIRED', 'ERROR']);

/** Helpers bound to the test file's app, read when called (the app starts in beforeAll). */
export function smsTestHelpers(deps: () => { inject: Inject; db: Db }) {
  const settled = (account: CallrTestAccount, hash: string) =>
    waitFor(
      () => account.result<CallrSms>('sms.get', [hash]),
      (sms) => finalStatuses.has(sms.status),
    );

  async function statusEvents(smsHash: string) {
    const id = decodeHash('sms', smsHash);
    const rows = await deps()
      .db.select({ type: events.type, payload: events.payload })
      .from(events)
      .where(and(eq(events.aggregateType, 'sms'), eq(events.aggregateId, String(id))))
      .orderBy(asc(events.id));
    return rows.map((row) => ({ type: row.type, sms: (row.payload as { sms: SmsSnapshot }).sms }));
  }

  function chatwoot(account: CallrTestAccount, path: string) {
    return deps().inject({
      method: 'GET',
      url: `/chatwoot/api/v1/accounts/${account.accountId}${path}`,
      headers: { api_access_token: account.apiKey },
    });
  }

  async function smsConversations(account: CallrTestAccount) {
    const listed = await chatwoot(account, '/inboxes');
    expect(listed.statusCode, listed.body).toBe(200);
    const inboxes = listed.json<{ payload: { id: number; name: string; channel_type: string }[] }>().payload;
    const smsInboxes = inboxes.filter((inbox) => inbox.channel_type === 'Channel::Sms');
    const list = await chatwoot(account, '/conversations?status=all');
    const conversations = list.json<{ data: { payload: ChatwootConversation[] } }>().data.payload;
    return {
      smsInboxes,
      conversations: conversations.filter((c) => smsInboxes.some((i) => i.id === c.inbox_id)),
    };
  }

  async function messagesOf(account: CallrTestAccount, displayId: number) {
    const response = await chatwoot(account, `/conversations/${displayId}/messages`);
    expect(response.statusCode).toBe(200);
    return response.json<{ payload: ChatwootMessage[] }>().payload;
  }

  return { settled, statusEvents, smsConversations, messagesOf };
}
