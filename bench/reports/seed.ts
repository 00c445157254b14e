import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../../src/platform/db/database.js';
import { queryRows } from '../../src/platform/db/database.js';

/**
 * Fills one account with a support history in set-based SQL (`INSERT … SELECT generate_series`):
 * conversations, their messages (incoming and agent replies alternating, the last one a private
 * note), the reporting events the consumer would derive from them (first response, reply times,
 * resolution), then the reporting counters, aggregated from those rows with the same rules as
 * `counterRowsOf` (15-minute buckets; account, inbox, team, sending agent and label dimensions).
 */
export interface SeedScale {
  messages: number;
  messagesPerConversation: number;
  days: number;
}

export interface Seeded {
  agentIds: number[];
  inboxIds: number[];
  teamIds: number[];
  labelIds: number[];
  conversations: number;
}

const literal = (values: (number | string)[]) => `{${values.join(',')}}`;
const channelTypes = ['web_widget', 'email', 'api', 'whatsapp', 'sms', 'web_widget'] as const;

async function ids(db: Db, query: ReturnType<typeof sql>): Promise<number[]> {
  return (await queryRows<{ id: string | number }>(db, query)).map((row) => Number(row.id));
}

export async function seedHistory(db: Db, accountId: number, scale: SeedScale): Promise<Seeded> {
  const perConversation = scale.messagesPerConversation;
  const conversations = Math.ceil(scale.messages / perConversation);
  const agentIds = await ids(
    db,
    sql`INSERT INTO users (name, email) SELECT 'Agent ' || g, 'bench-' || g || '-' || ${randomUUID()}::text || '@example.com'
        FROM generate_series(1, 20) g RETURNING id`,
  );
  await db.execute(sql`INSERT INTO account_users (account_id, user_id, role)
    SELECT ${accountId}::bigint, unnest(${literal(agentIds)}::bigint[]), 'agent'`);
  const inboxIds: number[] = [];
  for (const [index, channelType] of channelTypes.entries()) {
    inboxIds.push(
      ...(await ids(
        db,
        sql`INSERT INTO inboxes (account_id, name, channel_type, identifier)
            VALUES (${accountId}::bigint, ${`Inbox ${index + 1}`}, ${channelType}, ${randomUUID()}) RETURNING id`,
      )),
    );
  }
  const teamIds = await ids(
    db,
    sql`INSERT INTO teams (account_id, name) SELECT ${accountId}::bigint, 'Team ' || g FROM generate_series(1, 4) g RETURNING id`,
  );
  const labelIds = await ids(
    db,
    sql`INSERT INTO labels (account_id, name) SELECT ${accountId}::bigint, 'label-' || g FROM generate_series(1, 8) g RETURNING id`,
  );
  const contactIds = await ids(
    db,
    sql`INSERT INTO contacts (account_id, name) SELECT ${accountId}::bigint, 'Contact ' || g FROM generate_series(1, 5000) g RETURNING id`,
  );
  const days = scale.days;
  // h: a cheap hash of the row number; gap: seconds between the conversation's messages (30 s to 6 h).
  await db.execute(sql`
    INSERT INTO conversations (account_id, display_id, inbox_id, contact_id, status, assignee_id, team_id, labels,
      created_at, last_activity_at, first_reply_created_at)
    SELECT ${accountId}::bigint, g, (${literal(inboxIds)}::bigint[])[1 + g % 6], (${literal(contactIds)}::bigint[])[1 + g % 5000],
      CASE WHEN h % 10 < 7 THEN 'resolved' WHEN h % 10 < 9 THEN 'open' ELSE 'pending' END,
      CASE WHEN h % 20 < 17 THEN (${literal(agentIds)}::bigint[])[(1 + h % 20)::int] END,
      CASE WHEN h % 5 < 4 THEN (${literal(teamIds)}::bigint[])[(1 + (h / 5) % 4)::int] END,
      CASE h % 4 WHEN 0 THEN '{}'::text[] WHEN 1 THEN ARRAY['label-' || (1 + h % 8)]
        ELSE ARRAY['label-' || (1 + h % 8), 'label-' || (1 + (h / 8) % 8)] END,
      now() - make_interval(secs => (h % (${days}::int * 86400))), now(), NULL
    FROM (SELECT g, (g * 2654435761) % 4294967296 AS h FROM generate_series(1, ${conversations}::int) g) s`);
  await db.execute(sql`ANALYZE conversations`);
  await db.execute(sql`
    INSERT INTO messages (account_id, conversation_id, inbox_id, message_type, content, private, sender_type, sender_id,
      created_at, updated_at)
    SELECT c.account_id, c.id, c.inbox_id, CASE WHEN k % 2 = 0 THEN 'incoming' ELSE 'outgoing' END, 'message ' || k,
      k = ${perConversation - 1}::int AND k % 2 = 1,
      CASE WHEN k % 2 = 0 THEN 'contact' WHEN c.assignee_id IS NULL THEN 'agent_bot' ELSE 'user' END,
      CASE WHEN k % 2 = 0 THEN c.contact_id ELSE coalesce(c.assignee_id, 1) END,
      c.created_at + make_interval(secs => k * (30 + c.id % 21570)), c.created_at
    FROM conversations c CROSS JOIN generate_series(0, ${perConversation - 1}::int) k
    WHERE c.account_id = ${accountId}::bigint`);
  await seedReportingEvents(db, accountId, perConversation);
  await seedCounters(db, accountId);
  return { agentIds, inboxIds, teamIds, labelIds, conversations };
}

/** First response (message 1), reply times (each later public agent reply), resolution (after the last message). */
async function seedReportingEvents(db: Db, accountId: number, perConversation: number): Promise<void> {
  await db.execute(sql`
    INSERT INTO reporting_events (account_id, source_event_id, type, conversation_id, conversation_display_id,
      channel, direction, agent_id, duration_ms, occurred_at, inbox_id, team_id)
    SELECT c.account_id, c.id * 100 + k, CASE WHEN k = 1 THEN 'first_response' ELSE 'reply' END, c.id, c.display_id,
      'WIDGET_CHAT', 'INBOUND', c.assignee_id, (30 + c.id % 21570) * 1000,
      c.created_at + make_interval(secs => k * (30 + c.id % 21570)), c.inbox_id, c.team_id
    FROM conversations c CROSS JOIN generate_series(1, ${perConversation - 1}::int, 2) k
    WHERE c.account_id = ${accountId}::bigint AND c.assignee_id IS NOT NULL AND k <> ${perConversation - 1}::int
    UNION ALL
    SELECT c.account_id, c.id * 100 + 99, 'closed', c.id, c.display_id, 'WIDGET_CHAT', 'INBOUND', c.assignee_id,
      ${perConversation}::int * (30 + c.id % 21570) * 1000,
      c.created_at + make_interval(secs => ${perConversation}::int * (30 + c.id % 21570)),
      c.inbox_id, c.team_id
    FROM conversations c WHERE c.account_id = ${accountId}::bigint AND c.status = 'resolved'`);
}

async function seedCounters(db: Db, accountId: number): Promise<void> {
  // One row per (conversation-side dimension) for each message or event, then summed per bucket.
  await db.execute(sql`
    WITH facts AS (
      SELECT CASE WHEN m.message_type = 'incoming' THEN 'incoming_messages' ELSE 'outgoing_messages' END AS metric,
        m.created_at AS at, 0::float8 AS value, m.inbox_id, c.team_id, c.labels,
        CASE WHEN m.message_type = 'outgoing' AND m.sender_type = 'user' THEN m.sender_id END AS agent_id
      FROM messages m JOIN conversations c ON c.account_id = m.account_id AND c.id = m.conversation_id
      WHERE m.account_id = ${accountId}::bigint
      UNION ALL
      SELECT CASE e.type WHEN 'first_response' THEN 'first_response' WHEN 'closed' THEN 'resolution' ELSE 'reply_time' END,
        e.occurred_at, e.duration_ms / 1000.0, e.inbox_id, e.team_id, c.labels, e.agent_id
      FROM reporting_events e JOIN conversations c ON c.account_id = e.account_id AND c.id = e.conversation_id
      WHERE e.account_id = ${accountId}::bigint
    ), keyed AS (
      SELECT metric, 'account' AS dimension, '' AS key, at, value FROM facts
      UNION ALL SELECT metric, 'inbox', inbox_id::text, at, value FROM facts
      UNION ALL SELECT metric, 'team', team_id::text, at, value FROM facts WHERE team_id IS NOT NULL
      UNION ALL SELECT metric, 'agent', agent_id::text, at, value FROM facts WHERE agent_id IS NOT NULL
      UNION ALL SELECT metric, 'label', label, at, value FROM facts, unnest(labels) AS label
      UNION ALL SELECT 'first_response_bin:' || CASE WHEN value < 3600 THEN '0-1h' WHEN value < 14400 THEN '1-4h'
          WHEN value < 28800 THEN '4-8h' WHEN value < 86400 THEN '8-24h' ELSE '24h+' END,
        'inbox', inbox_id::text, at, value FROM facts WHERE metric = 'first_response'
    )
    INSERT INTO reporting_counters (account_id, metric, dimension, dimension_key, bucket, count, sum)
    SELECT ${accountId}::bigint, metric, dimension, key, date_bin('15 minutes', at, timestamptz '1970-01-01 00:00:00+00'),
      count(*), sum(value)
    FROM keyed GROUP BY 2, 3, 4, 5`);
  // The day rollup, as upsertCounters keeps it beside the quarter hours.
  await db.execute(sql`
    INSERT INTO reporting_counter_days (account_id, metric, dimension, dimension_key, bucket, count, sum)
    SELECT account_id, metric, dimension, dimension_key, date_bin('1 day', bucket, timestamptz '1970-01-01 00:00:00+00'),
      sum(count), sum(sum)
    FROM reporting_counters WHERE account_id = ${accountId}::bigint GROUP BY 1, 2, 3, 4, 5`);
  await db.execute(sql`ANALYZE reporting_counters`);
  await db.execute(sql`ANALYZE reporting_counter_days`);
  await db.execute(sql`ANALYZE reporting_events`);
  // What autovacuum does soon after a bulk load: marks the pages all-visible, so the reports'
  // range counts over conversations can be index-only scans.
  await db.execute(sql`VACUUM (ANALYZE) conversations`);
}
