import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import type { Db } from '../../platform/db/database.js';
import { DomainError, isDomainError } from '../../platform/errors.js';
import type { AccountAccess } from '../../core/identity/principal.js';
import {
  assignConversation,
  countConversations,
  getConversation,
  loadConversationView,
  loadConversationViews,
  setConversationLabels,
  setConversationPriority,
  toggleConversationStatus,
  updateLastSeen,
  type ConversationListFilters,
} from '../../core/conversations/index.js';
import {
  conversationPriorities,
  conversationStatuses,
  type ConversationRow,
} from '../../core/conversations/conversations.tables.js';
import {
  conversationNarrowing,
  listConversationsAfter,
} from '../../core/conversations/keyset-conversations.js';
import { isInboxMember } from '../../core/inboxes/inboxes.js';
import { accountAccess } from '../shared/access.js';
import { accountParams, commonErrors, idParam } from './schemas.js';
import { conversationSchema, toConversationDto } from './conversations.map.js';
import { decodeTimeCursor, encodeTimeCursor } from '../../platform/db/time-cursor.js';

export const conversationParams = accountParams.extend({ conversationId: idParam });

/** Who "me" is: an API key or a bot is nobody's assignee. */
export function meOf(access: AccountAccess): number | null {
  return access.principal.kind === 'user' ? access.principal.userId : null;
}

/** Agents (not administrators) see the inboxes they answer, the rule the Chatwoot face applies. */
export function visibleToUserId(access: AccountAccess): number | null {
  return access.role === 'agent' && access.principal.kind === 'user' ? access.principal.userId : null;
}

/**
 * A conversation of the caller's account by id (another account's is 404), refusing agents
 * outside its inbox unless it is assigned to them (403, as the Chatwoot face answers).
 */
export async function conversationFor(
  db: Db,
  access: AccountAccess,
  conversationId: number,
): Promise<ConversationRow> {
  const row = await getConversation(db, access.accountId, conversationId);
  const userId = visibleToUserId(access);
  if (
    userId !== null &&
    row.assigneeId !== userId &&
    !(await isInboxMember(db, access.accountId, row.inboxId, userId))
  ) {
    throw new DomainError('FORBIDDEN', 'You are not a member of the inbox of this conversation');
  }
  return row;
}

/** Admits the caller and loads the conversation named in the path. */
export async function loadConversationFor(
  ctx: AppContext,
  request: FastifyRequest,
  params: z.infer<typeof conversationParams>,
): Promise<{ access: AccountAccess; row: ConversationRow }> {
  const access = await accountAccess(ctx.db, request, params.accountId);
  return { access, row: await conversationFor(ctx.db, access, params.conversationId) };
}

export async function renderConversation(db: Db, row: ConversationRow) {
  return toConversationDto(await loadConversationView(db, row));
}

/** `label=a&label=b` and `label=a,b` both mean "any of a, b". */
const stringList = z
  .union([z.string().max(2000), z.array(z.string().max(255)).max(50)])
  .transform((value) =>
    (Array.isArray(value) ? value : value.split(',')).map((label) => label.trim()).filter(Boolean),
  );

const listQuery = z.object({
  tab: z.enum(['mine', 'unassigned', 'all']).default('all'),
  status: z.enum([...conversationStatuses, 'all']).default('open'),
  inboxId: idParam.optional(),
  teamId: idParam.optional(),
  label: stringList.optional(),
  assigneeId: idParam.optional(),
  /** `none`: conversations without a priority. */
  priority: z.enum([...conversationPriorities, 'none']).optional(),
  q: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(500).optional(),
});

const countsSchema = z.object({ mine: z.number(), unassigned: z.number(), all: z.number() });
const listSchema = z.object({
  data: z.array(conversationSchema),
  nextCursor: z.string().nullable(),
  counts: countsSchema,
});

const tabAssignee = { mine: 'me', unassigned: 'unassigned', all: 'all' } as const;

const patchBody = z
  .object({
    status: z.enum(conversationStatuses).optional(),
    /** Only with a snooze: a job reopens the conversation then. null snoozes until the contact writes. */
    snoozedUntil: z.iso.datetime({ offset: true }).nullable().optional(),
    priority: z.enum(conversationPriorities).nullable().optional(),
    /** null unassigns. */
    assigneeId: idParam.nullable().optional(),
    teamId: idParam.nullable().optional(),
    /** Replaces the list. */
    labels: z.array(z.string().trim().min(1).max(255)).max(100).optional(),
  })
  .strict();
type PatchBody = z.infer<typeof patchBody>;

/** The core names fields as the Chatwoot face does; this API's clients send camelCase. */
const corePathToNative: Record<string, string> = {
  assignee_id: 'body.assigneeId',
  team_id: 'body.teamId',
  snoozed_until: 'body.snoozedUntil',
};

function inNativeTerms(error: unknown): unknown {
  if (!isDomainError(error) || error.code !== 'VALIDATION_FAILED') return error;
  return new DomainError(
    error.code,
    error.message.replace(/\b(assignee_id|team_id|snoozed_until)\b/g, (name) =>
      (corePathToNative[name] ?? name).replace('body.', ''),
    ),
    error.details.map((detail) => ({ ...detail, path: corePathToNative[detail.path] ?? detail.path })),
  );
}

/** The status a patch asks for: a snooze end alone means "snooze until then". */
function statusOf(body: PatchBody) {
  if (body.snoozedUntil === undefined) return body.status;
  const status = body.status ?? 'snoozed';
  if (status !== 'snoozed') {
    throw new DomainError('VALIDATION_FAILED', 'snoozedUntil goes with status snoozed', [
      { path: 'body.snoozedUntil', message: 'is only allowed when status is snoozed' },
    ]);
  }
  if (body.snoozedUntil !== null && new Date(body.snoozedUntil).getTime() <= Date.now()) {
    throw new DomainError('VALIDATION_FAILED', 'snoozedUntil must be in the future', [
      { path: 'body.snoozedUntil', message: 'must be in the future' },
    ]);
  }
  return status;
}

/** Applies a patch in one transaction: team before agent, so a team's auto-assignment never overrides an explicit agent. */
async function applyPatch(tx: Db, access: AccountAccess, row: ConversationRow, body: PatchBody) {
  const target = { accountId: access.accountId, conversationId: row.id, actor: access.actor };
  const status = statusOf(body);
  let updated = row;
  if (body.teamId !== undefined) updated = await assignConversation(tx, { ...target, teamId: body.teamId });
  if (body.assigneeId !== undefined) {
    updated = await assignConversation(tx, { ...target, assigneeId: body.assigneeId });
  }
  if (status !== undefined) {
    const snoozedUntil = body.snoozedUntil ? new Date(body.snoozedUntil) : null;
    updated = await toggleConversationStatus(tx, { ...target, status, snoozedUntil });
  }
  if (body.priority !== undefined) {
    updated = await setConversationPriority(tx, { ...target, priority: body.priority });
  }
  if (body.labels !== undefined)
    updated = await setConversationLabels(tx, { ...target, labels: body.labels });
  return updated;
}

/** The inbox list, one conversation, and the changes an agent makes from the inbox. */
export function registerNativeConversationRoutes(app: TypedApp, ctx: AppContext): void {
  const base = '/v1/accounts/:accountId/conversations';
  const tags = ['conversations'];

  app.get(
    base,
    {
      schema: {
        tags,
        summary: 'The inbox list: newest activity first, keyset pages, with the tab counts',
        description:
          '`tab` picks the assignee (mine, unassigned, all); the other filters narrow the list and ' +
          'the counts alike. `q` searches message text (full text, words as prefixes) and contact ' +
          'names. `counts` are given on every page. Agents see the conversations of their inboxes.',
        params: accountParams,
        querystring: listQuery,
        response: { 200: listSchema, ...commonErrors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId);
      const { query } = request;
      const after = query.cursor === undefined ? null : decodeTimeCursor(query.cursor);
      const filters: ConversationListFilters = {
        status: query.status,
        inboxId: query.inboxId,
        teamId: query.teamId,
        labels: query.label,
        q: query.q,
        visibleToUserId: visibleToUserId(access),
        where: conversationNarrowing({
          assigneeId: query.assigneeId,
          priority: query.priority === 'none' ? null : query.priority,
        }),
      };
      const meUserId = meOf(access);
      // The page and the counts side by side; the page's relations follow in one more statement.
      const [page, counts] = await Promise.all([
        listConversationsAfter(ctx.db, access.accountId, {
          filters,
          assigneeType: tabAssignee[query.tab],
          meUserId,
          limit: query.limit,
          after,
        }),
        countConversations(ctx.db, access.accountId, { filters, meUserId }),
      ]);
      const views = await loadConversationViews(ctx.db, access.accountId, page.rows);
      return {
        data: views.map(toConversationDto),
        nextCursor: page.next && encodeTimeCursor(page.next),
        counts: { mine: counts.mine, unassigned: counts.unassigned, all: counts.all },
      };
    },
  );

  app.get(
    `${base}/:conversationId`,
    {
      schema: {
        tags,
        summary: 'One conversation (by id, not display id)',
        params: conversationParams,
        response: { 200: conversationSchema, ...commonErrors },
      },
    },
    async (request) => {
      const { row } = await loadConversationFor(ctx, request, request.params);
      return renderConversation(ctx.db, row);
    },
  );

  app.post(
    `${base}/:conversationId/read`,
    {
      schema: {
        tags,
        summary: 'Mark the conversation seen by agents: its unread count drops to 0',
        description:
          "Chatwoot's `update_last_seen`: sets `agentLastSeenAt` (and `assigneeLastSeenAt` when the " +
          'caller is the assignee) to now and clears `unreadCount`. The web app calls it when an agent ' +
          'opens the conversation and when messages arrive while it is open.',
        params: conversationParams,
        response: { 200: conversationSchema, ...commonErrors },
      },
    },
    async (request) => {
      const { access, row } = await loadConversationFor(ctx, request, request.params);
      const isAssignee = row.assigneeId !== null && row.assigneeId === meOf(access);
      const updated = await ctx.db.transaction((tx) =>
        updateLastSeen(tx, row, 'agent', { actor: access.actor, isAssignee }),
      );
      return renderConversation(ctx.db, updated);
    },
  );

  app.patch(
    `${base}/:conversationId`,
    {
      schema: {
        tags,
        summary: 'Change status (snooze), priority, assignee, team or labels',
        description:
          'Every field is optional; all given ones change in one transaction. `assigneeId: null` ' +
          'unassigns, `teamId: null` removes the team, `labels` replaces the list. `snoozedUntil` ' +
          'alone snoozes until then.',
        params: conversationParams,
        body: patchBody,
        response: { 200: conversationSchema, ...commonErrors },
      },
    },
    async (request) => {
      const { access, row } = await loadConversationFor(ctx, request, request.params);
      const updated = await ctx.db
        .transaction((tx) => applyPatch(tx, access, row, request.body))
        .catch((error: unknown) => {
          throw inNativeTerms(error);
        });
      return renderConversation(ctx.db, updated);
    },
  );
}
