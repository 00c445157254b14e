import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { isAdministrator, type AccountAccess } from '../../core/identity/principal.js';
import type { ContactRow } from '../../core/contacts/contacts.tables.js';
import { getContact, updateContact } from '../../core/contacts/contacts.js';
import { setContactLabels } from '../../core/contacts/contact-labels.js';
import { mergeContacts } from '../../core/contacts/merge-contacts.js';
import { errorBodySchema } from './errors.js';
import { DomainError } from '../../platform/errors.js';
import { listContactsBefore } from '../../core/contacts/contact-pages.js';
import { listContactConversations } from '../../core/contacts/contact-conversations.js';
import { loadConversationViews } from '../../core/conversations/index.js';
import { listInboxIdsOfMember } from '../../core/inboxes/inboxes.js';
import { accountAccess } from '../shared/access.js';
import { accountParams, commonErrors, idParam, iso, isoDate } from './schemas.js';
import { conversationSchema, toConversationDto } from './conversations.map.js';

export const contactSchema = z.object({
  id: z.number(),
  name: z.string(),
  email: z.string().nullable(),
  phoneNumber: z.string().nullable(),
  avatarUrl: z.string().nullable(),
  identifier: z.string().nullable(),
  customAttributes: z.record(z.string(), z.unknown()),
  additionalAttributes: z.record(z.string(), z.unknown()),
  labels: z.array(z.string()),
  createdAt: isoDate,
  lastActivityAt: isoDate.nullable(),
});

const nullableText = (max: number) => z.string().trim().max(max).nullable().optional();

/** Every field optional; the custom attributes given are merged into the stored ones. */
const contactPatch = z
  .object({
    name: z.string().trim().min(1).max(255).optional(),
    email: nullableText(320),
    phoneNumber: nullableText(40),
    identifier: nullableText(255),
    customAttributes: z.record(z.string().max(100), z.unknown()).optional(),
    labels: z.array(z.string().max(255)).max(100).optional(),
  })
  .strict();

const contactParams = accountParams.extend({ contactId: idParam });

const listQuery = z.object({
  q: z.string().max(500).optional(),
  label: z.string().trim().min(1).max(255).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  /** The previous page's nextCursor. */
  cursor: z
    .string()
    .regex(/^[1-9]\d{0,15}$/, 'is not a cursor this list returned')
    .transform(Number)
    .pipe(z.number().max(Number.MAX_SAFE_INTEGER, 'is not a cursor this list returned'))
    .optional(),
});

function toContactDto(row: ContactRow): z.infer<typeof contactSchema> {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    phoneNumber: row.phoneNumber,
    avatarUrl: row.avatarUrl,
    identifier: row.identifier,
    customAttributes: row.customAttributes,
    additionalAttributes: row.additionalAttributes,
    labels: row.labels,
    createdAt: iso(row.createdAt),
    lastActivityAt: iso(row.lastActivityAt),
  };
}

/** Agents see a contact's conversations in their own inboxes only, as in the inbox list. */
async function visibleInboxIds(ctx: AppContext, access: AccountAccess): Promise<number[] | undefined> {
  if (isAdministrator(access) || access.principal.kind !== 'user') return undefined;
  return listInboxIdsOfMember(ctx.db, access.accountId, access.principal.userId);
}

/** Contacts for the inbox's side panel and the contacts page. */
export function registerNativeContactRoutes(app: TypedApp, ctx: AppContext): void {
  const base = '/v1/accounts/:accountId/contacts';
  const tags = ['contacts'];

  app.get(
    base,
    {
      schema: {
        tags,
        summary: 'Contacts, newest first, keyset pages; `q` matches name, email, phone or identifier',
        params: accountParams,
        querystring: listQuery,
        response: {
          200: z.object({ data: z.array(contactSchema), nextCursor: z.string().nullable() }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId);
      const page = await listContactsBefore(ctx.db, access.accountId, {
        q: request.query.q,
        label: request.query.label,
        before: request.query.cursor,
        limit: request.query.limit,
      });
      return { data: page.rows.map(toContactDto), nextCursor: page.next === null ? null : String(page.next) };
    },
  );

  app.get(
    `${base}/:contactId`,
    {
      schema: {
        tags,
        summary: 'One contact with its conversations (those the caller may see), newest activity first',
        params: contactParams,
        response: {
          200: contactSchema.extend({ conversations: z.array(conversationSchema) }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId);
      const contact = await getContact(ctx.db, access.accountId, request.params.contactId);
      const rows = await listContactConversations(ctx.db, {
        accountId: access.accountId,
        contactId: contact.id,
        inboxIds: await visibleInboxIds(ctx, access),
      });
      const views = await loadConversationViews(ctx.db, access.accountId, rows);
      return { ...toContactDto(contact), conversations: views.map(toConversationDto) };
    },
  );

  app.patch(
    `${base}/:contactId`,
    {
      schema: {
        tags,
        summary: "Change a contact's fields, custom attributes (merged) and labels (replaced)",
        params: contactParams,
        body: contactPatch,
        response: { 200: contactSchema, 409: errorBodySchema, ...commonErrors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId);
      const { labels, ...fields } = request.body;
      const row = await ctx.db.transaction(async (tx) => {
        const updated = await updateContact(tx, {
          ...fields,
          accountId: access.accountId,
          id: request.params.contactId,
          actor: access.actor,
        });
        if (labels === undefined) return updated;
        await setContactLabels(tx, {
          accountId: access.accountId,
          contactId: updated.id,
          labels,
          actor: access.actor,
        });
        return getContact(tx, access.accountId, updated.id);
      });
      return toContactDto(row);
    },
  );

  app.post(
    `${base}/:contactId/merge`,
    {
      schema: {
        tags,
        summary:
          'Fold another contact (mergeeId) into this one: its conversations move here, missing fields are filled, it is deleted',
        params: contactParams,
        body: z.object({ mergeeId: idParam }).strict(),
        response: { 200: contactSchema, ...commonErrors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId);
      if (request.body.mergeeId === request.params.contactId) {
        throw new DomainError('VALIDATION_FAILED', 'A contact cannot be merged into itself', [
          { path: 'body.mergeeId', message: 'must be another contact' },
        ]);
      }
      const row = await ctx.db.transaction((tx) =>
        mergeContacts(tx, {
          accountId: access.accountId,
          baseId: request.params.contactId,
          mergeeId: request.body.mergeeId,
          actor: access.actor,
        }),
      );
      return toContactDto(row);
    },
  );
}
