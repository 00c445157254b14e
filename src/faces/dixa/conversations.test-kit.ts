import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { TestApp } from '../../testing/app.js';
import type { ChannelType } from '../../core/inboxes/inboxes.tables.js';
import { inboxes } from '../../core/inboxes/inboxes.tables.js';
import { contacts } from '../../core/contacts/contacts.tables.js';
import { users } from '../../core/identity/identity.tables.js';
import { customAttributeDefinitions } from '../../core/custom-attributes/custom-attributes.tables.js';
import type { AttributeDisplayType } from '../../core/custom-attributes/custom-attributes.tables.js';
import { seedAgent } from '../chatwoot/conversations.test-kit.js';

/** Rows the Dixa conversation tests start from, with the UUIDs the Dixa face speaks. */

export async function seedChannelInbox(
  app: TestApp,
  accountId: number,
  channelType: ChannelType,
  settings: Record<string, unknown> = {},
): Promise<{ id: number; uuid: string }> {
  const [inbox] = await app.parley.ctx.db
    .insert(inboxes)
    .values({
      accountId,
      name: `${channelType} inbox ${randomUUID().slice(0, 4)}`,
      channelType,
      identifier: randomUUID(),
      channelSettings: settings,
      enableAutoAssignment: false,
    })
    .returning({ id: inboxes.id, uuid: inboxes.uuid });
  if (!inbox) throw new Error('no inbox');
  return inbox;
}

export async function seedEndUser(
  app: TestApp,
  accountId: number,
  options: { email?: string; phoneNumber?: string } = {},
): Promise<{ id: number; uuid: string }> {
  const [contact] = await app.parley.ctx.db
    .insert(contacts)
    .values({
      accountId,
      name: 'Jane Customer',
      email: options.email ?? `${randomUUID().slice(0, 8)}@customer.test`,
      phoneNumber: options.phoneNumber ?? null,
    })
    .returning({ id: contacts.id, uuid: contacts.uuid });
  if (!contact) throw new Error('no contact');
  return contact;
}

export async function seedDixaAgent(
  app: TestApp,
  accountId: number,
): Promise<{ userId: number; uuid: string; token: string }> {
  const agent = await seedAgent(app, accountId);
  const [row] = await app.parley.ctx.db
    .select({ uuid: users.uuid })
    .from(users)
    .where(eq(users.id, agent.userId));
  if (!row) throw new Error('no user');
  return { userId: agent.userId, uuid: row.uuid, token: agent.token };
}

export async function seedConversationAttribute(
  app: TestApp,
  accountId: number,
  key: string,
  type: AttributeDisplayType,
  values: string[] = [],
): Promise<string> {
  const [row] = await app.parley.ctx.db
    .insert(customAttributeDefinitions)
    .values({
      accountId,
      attributeModel: 'conversation',
      attributeKey: key,
      attributeDisplayName: key.replace(/_/g, ' '),
      attributeDisplayType: type,
      attributeValues: values,
    })
    .returning({ uuid: customAttributeDefinitions.uuid });
  if (!row) throw new Error('no definition');
  return row.uuid;
}

/** An inbound email conversation body, as the seed's example has it. */
export function emailConversationBody(
  requesterId: string,
  integration: string,
  text = "My order hasn't shipped",
) {
  return {
    _type: 'Email',
    message: { _type: 'Inbound', content: { _type: 'Text', value: text }, attachments: [] },
    subject: 'order #123',
    language: 'en',
    requesterId,
    emailIntegrationId: integration,
  };
}
