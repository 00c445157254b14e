import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { auditActions, listAuditLogs, type AuditLogRow } from '../../core/audit-log/index.js';
import { chatwootAccess } from './access.js';
import { accountParams, chatwootErrors } from './admin-schemas.js';

const tags = ['Audit Logs'];

/** Chatwoot pages its audit log by 15 (`per(15)` in its controller). */
const PER_PAGE = 15;

/** Seed `audit_log`: `comment` and `remote_address` are nullable; the other fields are left out when unknown. */
const auditLogSchema = z.object({
  id: z.number().int(),
  auditable_id: z.number().int(),
  auditable_type: z.string(),
  auditable: z.record(z.string(), z.unknown()),
  associated_id: z.number().int(),
  associated_type: z.string(),
  user_id: z.number().int().optional(),
  user_type: z.string().optional(),
  username: z.string().optional(),
  action: z.enum(auditActions),
  audited_changes: z.record(z.string(), z.unknown()),
  version: z.number().int(),
  comment: z.string().nullable(),
  request_uuid: z.string().optional(),
  created_at: z.number().int(),
  remote_address: z.string().nullable(),
});

const pageSchema = z.object({
  per_page: z.number().int(),
  total_entries: z.number().int(),
  current_page: z.number().int(),
  audit_logs: z.array(auditLogSchema),
});

function toChatwootAuditLog(row: AuditLogRow): z.infer<typeof auditLogSchema> {
  return {
    id: row.id,
    auditable_id: row.auditableId,
    auditable_type: row.auditableType,
    auditable: { id: row.auditableId, ...row.snapshot },
    associated_id: row.accountId,
    associated_type: 'Account',
    ...(row.userId !== null && { user_id: row.userId }),
    ...(row.userType !== null && { user_type: row.userType }),
    ...(row.username !== null && { username: row.username }),
    action: row.action,
    audited_changes: row.auditedChanges,
    version: row.version,
    comment: row.comment,
    ...(row.requestUuid !== null && { request_uuid: row.requestUuid }),
    created_at: Math.floor(row.createdAt.getTime() / 1000),
    remote_address: row.remoteAddress,
  };
}

/** Every administrative change of the account, newest first; administrators only, as in Chatwoot. */
export function registerAuditLogsRoutes(app: TypedApp, ctx: AppContext): void {
  app.get(
    '/api/v1/accounts/:account_id/audit_logs',
    {
      schema: {
        tags,
        summary: 'List the audit log of the account (15 per page, newest first)',
        params: accountParams,
        querystring: z.object({ page: z.coerce.number().int().min(1).max(1_000_000).default(1) }),
        response: { 200: pageSchema, ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id, { isAdminOnly: true });
      const { page } = request.query;
      const result = await listAuditLogs(ctx.db, { accountId: access.accountId, page, perPage: PER_PAGE });
      return {
        per_page: PER_PAGE,
        total_entries: result.total,
        current_page: page,
        audit_logs: result.rows.map(toChatwootAuditLog),
      };
    },
  );
}
