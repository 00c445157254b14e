import { and, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { events } from '../../platform/events/events.tables.js';
import { messages } from '../conversations/conversations.tables.js';
import { webhookDeliveries } from '../webhooks/webhooks.tables.js';
import { scopedMessages, type AnonymizationScope } from './anonymization-scope.js';
import type { PersonalStrings } from './overwrite-personal-data.js';

/** What replaces personal data inside logged payloads. */
export const ANONYMIZED_TEXT = '[anonymized]';

/** Replaces personal strings in one JSON value: identity strings anywhere, message texts where whole. */
function scrubValue(value: unknown, strings: PersonalStrings, contents: Set<string>): unknown {
  if (typeof value === 'string') {
    if (contents.has(value.trim())) return ANONYMIZED_TEXT;
    return strings.identity.reduce((text, personal) => text.split(personal).join(ANONYMIZED_TEXT), value);
  }
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, strings, contents));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, scrubValue(item, strings, contents)]),
    );
  }
  return value;
}

/** A logged body: JSON is scrubbed value by value (keys and structure stay), anything else as text. */
export function scrubText(body: string, strings: PersonalStrings): string {
  const contents = new Set(strings.contents);
  try {
    const parsed: unknown = JSON.parse(body);
    const clean = JSON.stringify(scrubValue(parsed, strings, contents));
    // Untouched bodies keep their exact bytes (and so their recomputable signature).
    return clean === JSON.stringify(parsed) ? body : clean;
  } catch {
    return [...strings.identity, ...strings.contents].reduce(
      (text, personal) => text.split(personal).join(ANONYMIZED_TEXT),
      body,
    );
  }
}

/** The scope, with the end user's calls (their events carry the contact too). */
export type LogScope = AnonymizationScope & { callIds: number[] };

/** The outbox events about the scope's contact, conversations, messages and calls. */
function scopedEvents(scope: LogScope): SQL {
  const about: SQL[] = [
    sql`(${events.aggregateType} = 'message' AND ${events.aggregateId} IN (
      SELECT ${messages.id}::text FROM ${messages} WHERE ${scopedMessages(scope)}))`,
  ];
  if (scope.contactId !== null) {
    about.push(
      sql`(${events.aggregateType} = 'contact' AND ${events.aggregateId} = ${String(scope.contactId)})`,
    );
  }
  if (scope.conversationIds.length > 0) {
    about.push(
      sql`(${events.aggregateType} = 'conversation' AND ${inArray(
        events.aggregateId,
        scope.conversationIds.map(String),
      )})`,
    );
  }
  if (scope.callIds.length > 0) {
    about.push(
      sql`(${events.aggregateType} = 'call' AND ${inArray(events.aggregateId, scope.callIds.map(String))})`,
    );
  }
  return and(eq(events.accountId, scope.accountId), or(...about)) ?? sql`false`;
}

/**
 * Overwrites the personal strings in the outbox events and the webhook delivery log that carried
 * them: the events about the scope, the deliveries of those events, and (events are pruned sooner)
 * any of the account's deliveries whose body names the end user's address or number.
 */
export async function scrubLogs(tx: Db, scope: LogScope, strings: PersonalStrings): Promise<number> {
  if (strings.identity.length === 0 && strings.contents.length === 0) return 0;
  let scrubbed = 0;
  const eventRows = await tx
    .select({ id: events.id, payload: events.payload })
    .from(events)
    .where(scopedEvents(scope));
  for (const row of eventRows) {
    const text = JSON.stringify(row.payload);
    const clean = scrubText(text, strings);
    if (clean === text) continue;
    await tx
      .update(events)
      .set({ payload: JSON.parse(clean) as Record<string, unknown> })
      .where(and(eq(events.accountId, scope.accountId), eq(events.id, row.id)));
    scrubbed += 1;
  }
  const mentions = strings.identity
    .filter((text) => text.includes('@') || /\d{5,}/.test(text))
    .map((text) => sql`strpos(${webhookDeliveries.body}, ${text}) > 0`);
  const deliveryRows = await tx
    .select({ id: webhookDeliveries.id, body: webhookDeliveries.body })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.accountId, scope.accountId),
        or(
          inArray(
            webhookDeliveries.eventId,
            tx.select({ id: events.id }).from(events).where(scopedEvents(scope)),
          ),
          ...mentions,
        ),
      ),
    );
  for (const row of deliveryRows) {
    const clean = scrubText(row.body, strings);
    if (clean === row.body) continue;
    await tx
      .update(webhookDeliveries)
      .set({ body: clean })
      .where(and(eq(webhookDeliveries.accountId, scope.accountId), eq(webhookDeliveries.id, row.id)));
    scrubbed += 1;
  }
  return scrubbed;
}
