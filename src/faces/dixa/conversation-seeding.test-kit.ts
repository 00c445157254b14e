import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { expect } from 'vitest';
import type { TestApp } from '../../testing/app.js';
import { contacts } from '../../core/contacts/contacts.tables.js';
import { conversations, messages } from '../../core/conversations/conversations.tables.js';
import type { Inject } from './dixa-test-kit.js';

/**
 * Seeds inboxes, contacts, conversations and messages through the Chatwoot face with an
 * organization's key (one identity: the same key works on every face), and reads back the ids
 * the Dixa face speaks: a conversation's per-account number (`displayId`), the others' uuids.
 */
export function chatwootSeeder(app: TestApp, inject: Inject, org: { accountId: number; apiKey: string }) {
  const base = `/chatwoot/api/v1/accounts/${org.accountId}`;
  const headers = { api_access_token: org.apiKey };
  const post = async <T>(path: string, payload: Record<string, unknown>): Promise<T> => {
    const response = await inject({ method: 'POST', url: `${base}${path}`, headers, payload });
    expect(response.statusCode, `POST ${path}: ${response.body}`).toBeLessThan(300);
    return response.json<T>();
  };
  const db = app.parley.ctx.db;
  const found = <T>(row: T | undefined, what: string): T => {
    if (row === undefined) throw new Error(`${what} not found after creating it`);
    return row;
  };

  return {
    async inbox(channel: Record<string, unknown>, name = `Inbox ${randomUUID().slice(0, 6)}`) {
      return (await post<{ id: number }>('/inboxes', { name, channel })).id;
    },
    async contact(fields: Record<string, unknown>): Promise<{ id: number; uuid: string }> {
      const { id } = await post<{ id: number }>('/contacts', fields);
      const [row] = await db
        .select({ uuid: contacts.uuid })
        .from(contacts)
        .where(and(eq(contacts.accountId, org.accountId), eq(contacts.id, id)));
      return { id, uuid: found(row, 'contact').uuid };
    },
    async conversation(input: {
      inboxId: number;
      contactId: number;
      sourceId?: string;
      status?: string;
    }): Promise<{ displayId: number; id: number; uuid: string }> {
      const { id: displayId } = await post<{ id: number }>('/conversations', {
        inbox_id: input.inboxId,
        contact_id: input.contactId,
        source_id: input.sourceId ?? randomUUID(),
        ...(input.status !== undefined && { status: input.status }),
      });
      const [row] = await db
        .select({ id: conversations.id, uuid: conversations.uuid })
        .from(conversations)
        .where(and(eq(conversations.accountId, org.accountId), eq(conversations.displayId, displayId)));
      const conversation = found(row, 'conversation');
      return { displayId, id: conversation.id, uuid: conversation.uuid };
    },
    async message(
      displayId: number,
      content: string,
      messageType: 'incoming' | 'outgoing' = 'incoming',
    ): Promise<{ id: number; uuid: string }> {
      const { id } = await post<{ id: number }>(`/conversations/${displayId}/messages`, {
        content,
        message_type: messageType,
      });
      const [row] = await db
        .select({ uuid: messages.uuid })
        .from(messages)
        .where(and(eq(messages.accountId, org.accountId), eq(messages.id, id)));
      return { id, uuid: found(row, 'message').uuid };
    },
  };
}
