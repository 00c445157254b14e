import { and, asc, desc, inArray } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import type { EventRow } from '../../platform/events/events.tables.js';
import type { EventConsumer } from '../../platform/events/relay.js';
import { auditLogs, type NewAuditLogRow } from './audit-log.tables.js';
import { auditDraftOf, type AuditDraft } from './auditable-events.js';
import { loadAuditUsers, auditUserOf } from './audit-users.js';

interface KnownState {
  snapshot: Record<string, unknown>;
  version: number;
}

const keyOf = (accountId: number, type: string, id: number) => `${accountId}|${type}|${id}`;

/** The last audited state of every auditable in the batch: one query. */
async function loadKnownStates(
  tx: Db,
  drafts: { event: EventRow; draft: AuditDraft }[],
): Promise<Map<string, KnownState>> {
  const rows = await tx
    .selectDistinctOn([auditLogs.accountId, auditLogs.auditableType, auditLogs.auditableId], {
      accountId: auditLogs.accountId,
      auditableType: auditLogs.auditableType,
      auditableId: auditLogs.auditableId,
      snapshot: auditLogs.snapshot,
      version: auditLogs.version,
    })
    .from(auditLogs)
    .where(
      and(
        inArray(auditLogs.accountId, [...new Set(drafts.map(({ event }) => event.accountId))]),
        inArray(auditLogs.auditableId, [...new Set(drafts.map(({ draft }) => draft.auditableId))]),
      ),
    )
    .orderBy(
      asc(auditLogs.accountId),
      asc(auditLogs.auditableType),
      asc(auditLogs.auditableId),
      desc(auditLogs.version),
    );
  return new Map(
    rows.map((row) => [
      keyOf(row.accountId, row.auditableType, row.auditableId),
      { snapshot: row.snapshot, version: row.version },
    ]),
  );
}

function isSame(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * `audited`'s changes: every attribute for a create or a destroy, `[old, new]` pairs of what
 * differs for an update. An auditable first seen through an update (made before the audit log
 * existed) has unknown old values: they are null.
 */
function changesOf(draft: AuditDraft, known: KnownState | undefined): Record<string, unknown> {
  if (draft.changes) return draft.changes;
  if (draft.action !== 'update') return draft.fields;
  const changes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(draft.fields)) {
    const old = known?.snapshot[key] ?? null;
    if (!isSame(old, value)) changes[key] = [old, value];
  }
  return changes;
}

function stringOf(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * Turns administrative events into audit rows, in the relay's transaction: one read of the
 * auditables' last states, one of the people involved, one insert per batch. An update that
 * changes nothing is not logged (as `audited` does); a batch handed over again adds nothing.
 */
export function createAuditLogConsumer(): EventConsumer {
  return {
    name: 'audit-log',
    async handle(tx, batch) {
      const drafts = batch.flatMap((event) => {
        const draft = auditDraftOf(event);
        return draft ? [{ event, draft }] : [];
      });
      if (drafts.length === 0) return;
      const known = await loadKnownStates(tx, drafts);
      const people = await loadAuditUsers(
        tx,
        drafts.map(({ event }) => event),
      );
      const rows: NewAuditLogRow[] = [];
      for (const { event, draft } of drafts) {
        const key = keyOf(event.accountId, draft.auditableType, draft.auditableId);
        const previous = known.get(key);
        const changes = changesOf(draft, previous);
        if (draft.action === 'update' && Object.keys(changes).length === 0) continue;
        const snapshot = { ...previous?.snapshot, ...draft.fields };
        const version = (previous?.version ?? 0) + 1;
        known.set(key, { snapshot, version });
        const actor = event.actor ?? {};
        rows.push({
          accountId: event.accountId,
          auditableType: draft.auditableType,
          auditableId: draft.auditableId,
          action: draft.action,
          ...auditUserOf(event, people),
          auditedChanges: changes,
          snapshot,
          version,
          // Present when the request that caused the change recorded them on its actor.
          remoteAddress: stringOf(actor.ip) ?? stringOf(actor.remoteAddress),
          requestUuid: stringOf(actor.requestId),
          sourceEventId: event.id,
          createdAt: event.occurredAt,
        });
      }
      if (rows.length > 0) await tx.insert(auditLogs).values(rows).onConflictDoNothing();
    },
  };
}
