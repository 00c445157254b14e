import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { createRule, deleteRule, getRule, listRules, updateRule } from '../../core/automation/index.js';
import { chatwootAccess } from './access.js';
import { accountParams, accountResourceParams, chatwootErrors, sendEmptyOk } from './admin-schemas.js';
import {
  createRuleBody,
  ruleItemSchema,
  toChatwootRule,
  toRuleInput,
  toRulePatch,
  updateRuleBody,
} from './automation-rules.map.js';
import { createAutomationWebhookFormat } from './automation-rules.webhook-format.js';

const tags = ['Automation Rule'];

/**
 * Chatwoot lists an account's rules whole; the seed adds `page`, so pages are this long, which
 * covers every account we know of in one page.
 */
export const AUTOMATION_RULES_PER_PAGE = 100;

const singleResponse = z.object({ payload: ruleItemSchema });

/** Automation rules; every operation takes an administrator, as Chatwoot's AutomationRulePolicy does. */
export function registerAutomationRulesRoutes(app: TypedApp, ctx: AppContext): void {
  // The payload of `send_webhook_event` is Chatwoot's conversation webhook_data, which this face owns.
  ctx.webhooks.formats.register(createAutomationWebhookFormat(ctx.storage));
  const base = '/api/v1/accounts/:account_id/automation_rules';
  const adminOnly = { isAdminOnly: true };

  app.get(
    base,
    {
      schema: {
        tags,
        summary: 'List the automation rules of an account',
        params: accountParams,
        querystring: z.object({ page: z.coerce.number().int().min(1).max(100_000).default(1) }),
        response: { 200: z.object({ payload: z.array(ruleItemSchema) }), ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id, adminOnly);
      const rows = await listRules(ctx.db, access.accountId, {
        offset: (request.query.page - 1) * AUTOMATION_RULES_PER_PAGE,
        limit: AUTOMATION_RULES_PER_PAGE,
      });
      return { payload: rows.map(toChatwootRule) };
    },
  );

  app.post(
    base,
    {
      schema: {
        tags,
        summary: 'Add an automation rule',
        params: accountParams,
        body: createRuleBody,
        response: { 200: singleResponse, ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id, adminOnly);
      const row = await createRule(ctx.db, access.accountId, toRuleInput(request.body), access.actor);
      return { payload: toChatwootRule(row) };
    },
  );

  app.get(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: 'Get an automation rule',
        params: accountResourceParams,
        response: { 200: singleResponse, ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id, adminOnly);
      return { payload: toChatwootRule(await getRule(ctx.db, access.accountId, request.params.id)) };
    },
  );

  app.patch(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: 'Update an automation rule',
        params: accountResourceParams,
        body: updateRuleBody.optional(),
        response: { 200: singleResponse, ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id, adminOnly);
      const patch = toRulePatch(request.body ?? {});
      const row = await updateRule(ctx.db, access.accountId, request.params.id, patch, access.actor);
      return { payload: toChatwootRule(row) };
    },
  );

  app.delete(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: 'Delete an automation rule',
        params: accountResourceParams,
        response: { 200: z.null(), ...chatwootErrors },
      },
    },
    async (request, reply) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id, adminOnly);
      await deleteRule(ctx.db, access.accountId, request.params.id, access.actor);
      return sendEmptyOk(reply);
    },
  );
}
