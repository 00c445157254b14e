export { listAuditLogs, type AuditLogPage } from './list-audit-logs.js';
export { auditActions, type AuditAction, type AuditLogRow } from './audit-log.tables.js';
export { createAuditLogConsumer } from './audit-log-consumer.js';
