import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import { DomainError } from '../../platform/errors.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import type { ContactRow } from '../../core/contacts/contacts.tables.js';
import { EndUserConflictError } from '../../core/contacts/end-user-conflicts.js';
import { createEndUsers, type EndUserOutcome } from '../../core/contacts/end-users.js';
import { updateEndUsers } from '../../core/contacts/update-end-users.js';
import { dixaAccess } from './access.js';
import {
  dixaEndUserSchema,
  endUserInputSchema,
  endUserReplacementSchema,
  inDixaTerms,
  toEndUserFields,
  type DixaEndUser,
} from './enduser.map.js';
import { uuidSchema } from './schemas.js';

const tags = ['Dixa end users'];

/** One request imports at most this many end users; the body limit caps bytes, this caps work. */
const MAX_BULK_ITEMS = 1_000;

/**
 * Seed `BulkError`: every variant is `{message}` with the `id` it concerns (NotFound1, Integrity,
 * EmptyPatchSet) or optionally so (Validation, ErrorResponse).
 */
const bulkErrorSchema = z.object({ id: z.string().optional(), message: z.string() });

/** Seed `BulkActionOutcome_BulkError_EndUser`: `{data}` or `{error}`, one per item, in input order. */
const bulkOutputSchema = z.object({
  data: z.array(z.union([z.object({ data: dixaEndUserSchema }), z.object({ error: bulkErrorSchema })])),
});
type BulkOutput = z.infer<typeof bulkOutputSchema>;

const bulkOf = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item).max(MAX_BULK_ITEMS).default([]) });

/** Item ids are checked per item, so one mistyped id fails its own item, not the import. */
const bulkPatchBody = bulkOf(endUserInputSchema.extend({ id: z.string().max(100) }));
const bulkUpdateBody = bulkOf(endUserReplacementSchema.extend({ id: z.string().max(100) }));

type Render = (accountId: number, rows: ContactRow[]) => Promise<DixaEndUser[]>;

/**
 * A created end user conflicts with an existing one: its id is the one holding the value (seed
 * `Integrity {id, message}`). For patches and updates the id is the item's own, except for an end
 * user this organization does not have: that answer (`{message}`) repeats no id of another one.
 */
function bulkError(error: DomainError, itemId: string | undefined) {
  const ownId = error.code === 'NOT_FOUND' ? undefined : itemId;
  const id = ownId ?? (error instanceof EndUserConflictError ? error.holderUuid : undefined);
  return { error: { ...(id !== undefined && { id }), message: inDixaTerms(error).message } };
}

async function toBulkOutput(
  accountId: number,
  outcomes: EndUserOutcome[],
  itemIds: (string | undefined)[],
  render: Render,
): Promise<BulkOutput> {
  const rows = outcomes.flatMap((outcome) => ('row' in outcome ? [outcome.row] : []));
  // One rendering per row, in order: an end user patched twice shows each patch's own result.
  const rendered = (await render(accountId, rows)).values();
  return {
    data: outcomes.map((outcome, index) => {
      if ('error' in outcome) return bulkError(outcome.error, itemIds[index]);
      const endUser = rendered.next();
      if (endUser.done) throw new Error('bulk end user rendering failed');
      return { data: endUser.value };
    }),
  };
}

/** POST /v1/endusers/bulk, PATCH /v1/endusers and PUT /v1/endusers. */
export function registerDixaEndUserBulkRoutes(app: TypedApp, ctx: AppContext, render: Render): void {
  app.post(
    '/v1/endusers/bulk',
    {
      schema: {
        tags,
        summary: 'Create end users',
        body: bulkOf(endUserInputSchema),
        response: { 200: bulkOutputSchema },
      },
    },
    async (request) => {
      const access = await dixaAccess(ctx, request);
      const outcomes = await ctx.db.transaction((tx) =>
        createEndUsers(tx, {
          accountId: access.accountId,
          items: request.body.data.map(toEndUserFields),
          actor: access.actor,
        }),
      );
      return toBulkOutput(access.accountId, outcomes, [], render);
    },
  );

  for (const [method, body] of [
    ['PATCH', bulkPatchBody],
    ['PUT', bulkUpdateBody],
  ] as const) {
    app.route({
      method,
      url: '/v1/endusers',
      schema: {
        tags,
        summary: method === 'PATCH' ? 'Bulk patch end users' : 'Bulk update end users',
        body,
        response: { 200: bulkOutputSchema },
      },
      handler: async (request) => {
        const access = await dixaAccess(ctx, request);
        const items = request.body.data;
        const valid = items.filter((item) => uuidSchema.safeParse(item.id).success);
        const applied = await updateEndUsers(ctx.db, {
          accountId: access.accountId,
          items: valid.map(({ id, ...fields }) => ({ uuid: id, fields: toEndUserFields(fields) })),
          isReplacement: method === 'PUT',
          actor: access.actor,
        });
        const outcomes = items.map((item): EndUserOutcome => {
          const index = valid.indexOf(item);
          const outcome = index === -1 ? undefined : applied[index];
          return outcome ?? { error: new DomainError('VALIDATION_FAILED', 'id must be a UUID') };
        });
        return toBulkOutput(
          access.accountId,
          outcomes,
          items.map((item) => item.id),
          render,
        );
      },
    });
  }
}
