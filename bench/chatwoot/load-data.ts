import type { Sql } from 'postgres';

/**
 * Fills one account with a realistic support history using set-based SQL only
 * (`INSERT … SELECT generate_series`): a few statements instead of millions of round trips.
 * Values are derived from the row number with cheap hashes, so a run is reproducible.
 */
export interface BenchScale {
  contacts: number;
  conversations: number;
  messagesPerConversation: number;
  agents: number;
  inboxes: number;
  teams: number;
}

export interface LoadedData {
  agentIds: number[];
  inboxIds: number[];
  teamIds: number[];
  /** A conversation with a recent activity, used by write benchmarks. */
  sampleDisplayIds: number[];
  /** Search terms that exist in the data. */
  sample: { name: string; email: string; phone: string };
}

const FIRST_NAMES = [
  'Ada',
  'Alan',
  'Grace',
  'Linus',
  'Margaret',
  'Dennis',
  'Barbara',
  'Ken',
  'Frances',
  'Edsger',
  'Radia',
  'Tim',
  'Hedy',
  'John',
  'Katherine',
  'Donald',
  'Sophie',
  'Niklaus',
  'Annie',
  'Guido',
  'Mary',
  'James',
  'Leslie',
  'Bjarne',
  'Joan',
  'Brian',
  'Karen',
  'Yukihiro',
  'Lynn',
  'Anders',
];
const LAST_NAMES = [
  'Lovelace',
  'Turing',
  'Hopper',
  'Torvalds',
  'Hamilton',
  'Ritchie',
  'Liskov',
  'Thompson',
  'Allen',
  'Dijkstra',
  'Perlman',
  'Berners',
  'Lamarr',
  'McCarthy',
  'Johnson',
  'Knuth',
  'Wilson',
  'Wirth',
  'Easley',
  'Rossum',
  'Keller',
  'Gosling',
  'Lamport',
  'Stroustrup',
  'Clarke',
  'Kernighan',
  'Jones',
  'Matsumoto',
  'Conway',
  'Hejlsberg',
  'Martin',
  'Bernard',
  'Dubois',
  'Moreau',
  'Laurent',
];
const LABEL_SETS = ["'{billing}'", "'{bug,vip}'", "'{sales}'", "'{refund}'", "'{}'", "'{}'", "'{}'", "'{}'"];

function textArray(values: string[]): string {
  return `ARRAY[${values.map((value) => `'${value.replace(/'/g, "''")}'`).join(',')}]::text[]`;
}

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  process.stdout.write(`  ${label.padEnd(44)} ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return result;
}

const BULK_TABLES = ['contacts', 'contact_inboxes', 'conversations', 'messages'];

/**
 * Building an index once over loaded rows is several times faster than maintaining it row by row,
 * so secondary indexes (not primary keys or constraints) are dropped for the load and rebuilt.
 */
async function withoutSecondaryIndexes<T>(sql: Sql, work: () => Promise<T>): Promise<T> {
  const indexes = await sql<{ name: string; definition: string }[]>`
    SELECT indexname AS name, indexdef AS definition FROM pg_indexes
    WHERE schemaname = current_schema() AND tablename = ANY(${BULK_TABLES})
      AND indexname NOT IN (SELECT conname FROM pg_constraint)`;
  for (const index of indexes) await sql.unsafe(`DROP INDEX ${index.name}`);
  const result = await work();
  await timed(`rebuild ${indexes.length} indexes`, async () => {
    await sql`SET maintenance_work_mem = '256MB'`;
    for (const index of indexes) await sql.unsafe(index.definition);
  });
  return result;
}

export async function loadBenchData(sql: Sql, accountId: number, scale: BenchScale): Promise<LoadedData> {
  await sql`SET synchronous_commit = off`;
  return withoutSecondaryIndexes(sql, () => loadRows(sql, accountId, scale)).then(async (loaded) => {
    // VACUUM too: the bulk UPDATE leaves dead rows, and index-only scans need the visibility map.
    await timed('VACUUM ANALYZE', () => sql`VACUUM ANALYZE`);
    // Written out now, or the checkpoint that the load's gigabytes of WAL call for lands in the
    // first routes' measurement (message create, a write, lost a fifth of its rate to it).
    await timed('CHECKPOINT', () => sql`CHECKPOINT`);
    return loaded;
  });
}

async function loadRows(sql: Sql, accountId: number, scale: BenchScale): Promise<LoadedData> {
  const agentIds = await timed(`${scale.agents} agents`, async () => {
    const rows = await sql<{ id: string }[]>`
      INSERT INTO users (name, email)
      SELECT 'Agent ' || g, 'agent' || g || '-' || ${accountId}::bigint || '@bench.example'
      FROM generate_series(1, ${scale.agents}) g RETURNING id`;
    const ids = rows.map((row) => Number(row.id));
    await sql`
      INSERT INTO account_users (account_id, user_id, role, availability)
      SELECT ${accountId}::bigint, id, 'agent', 'online' FROM unnest(${ids}::bigint[]) id`;
    return ids;
  });
  const inboxIds = (
    await sql<{ id: string }[]>`
      INSERT INTO inboxes (account_id, name, channel_type, identifier)
      SELECT ${accountId}::bigint, 'Inbox ' || g, 'api', md5(random()::text || g)
      FROM generate_series(1, ${scale.inboxes}) g RETURNING id`
  ).map((row) => Number(row.id));
  const teamIds = (
    await sql<{ id: string }[]>`
      INSERT INTO teams (account_id, name)
      SELECT ${accountId}::bigint, 'Team ' || g FROM generate_series(1, ${scale.teams}) g RETURNING id`
  ).map((row) => Number(row.id));
  await sql`
    INSERT INTO inbox_members (account_id, inbox_id, user_id)
    SELECT ${accountId}::bigint, i, u FROM unnest(${inboxIds}::bigint[]) i, unnest(${agentIds}::bigint[]) u`;

  const first = textArray(FIRST_NAMES);
  const last = textArray(LAST_NAMES);
  await timed(`${scale.contacts} contacts`, () =>
    sql.unsafe(`
      INSERT INTO contacts (account_id, name, email, phone_number, contact_type, created_at, updated_at, last_activity_at)
      SELECT ${accountId}, f || ' ' || l,
             CASE WHEN g % 5 <> 0 THEN lower(f) || '.' || lower(l) || g || '@mail' || (g % 7) || '.example' END,
             CASE WHEN g % 5 < 3 THEN '+1555' || lpad(g::text, 7, '0') END,
             (ARRAY['visitor','lead','customer'])[1 + g % 3],
             now() - ((g * 13) % 720) * interval '12 hours', now(), now() - ((g * 7) % 8760) * interval '1 hour'
      FROM generate_series(1, ${scale.contacts}) g,
           LATERAL (SELECT (${first})[1 + (g * 7) % ${FIRST_NAMES.length}] AS f,
                           (${last})[1 + (g * 11) % ${LAST_NAMES.length}] AS l) n`),
  );
  await timed(`${scale.contacts} contact inboxes`, () =>
    sql.unsafe(`
      INSERT INTO contact_inboxes (account_id, contact_id, inbox_id, source_id, pubsub_token)
      SELECT ${accountId}, c.id, (ARRAY[${inboxIds.join(',')}]::bigint[])[1 + c.id % ${inboxIds.length}],
             'src-' || c.id, md5(c.id::text || random()::text)
      FROM contacts c WHERE c.account_id = ${accountId}`),
  );
  await timed(`${scale.conversations} conversations`, () =>
    sql.unsafe(`
      WITH ci AS (
        SELECT id, contact_id, inbox_id, row_number() OVER (ORDER BY id) - 1 AS n
        FROM contact_inboxes WHERE account_id = ${accountId}
      )
      INSERT INTO conversations (account_id, display_id, inbox_id, contact_id, contact_inbox_id, status,
                                 snoozed_until, priority, assignee_id, team_id, labels, last_activity_at,
                                 waiting_since, created_at, updated_at)
      SELECT ${accountId}, g, ci.inbox_id, ci.contact_id, ci.id, s.status,
             CASE WHEN s.status = 'snoozed' THEN now() + interval '2 days' END,
             (ARRAY[NULL,'low','medium','high','urgent'])[1 + g % 5],
             CASE WHEN (g * 31) % 100 < 80 THEN (ARRAY[${agentIds.join(',')}]::bigint[])[1 + g % ${agentIds.length}] END,
             CASE WHEN g % 10 < 7 THEN (ARRAY[${teamIds.join(',')}]::bigint[])[1 + g % ${teamIds.length}] END,
             (ARRAY[${LABEL_SETS.join(',')}]::text[][])[1 + g % ${LABEL_SETS.length}]::text[],
             t.at, CASE WHEN s.status = 'open' THEN t.at END, t.at - interval '2 hours', t.at
      FROM generate_series(1, ${scale.conversations}) g
      JOIN ci ON ci.n = (g - 1) % ${scale.contacts},
      LATERAL (SELECT CASE WHEN (g * 7919) % 100 < 55 THEN 'resolved' WHEN (g * 7919) % 100 < 80 THEN 'open'
                           WHEN (g * 7919) % 100 < 92 THEN 'pending' ELSE 'snoozed' END AS status) s,
      LATERAL (SELECT now() - ((g * 7) % 525600) * interval '1 minute' AS at) t`),
  );
  await sql`
    SELECT setval(${`conversation_display_ids_${accountId}`}::regclass, ${scale.conversations})`;
  const messageCount = scale.conversations * scale.messagesPerConversation;
  await timed(`${messageCount} messages`, () =>
    sql.unsafe(`
      INSERT INTO messages (account_id, conversation_id, inbox_id, message_type, content, status,
                            sender_type, sender_id, created_at, updated_at)
      SELECT c.account_id, c.id, c.inbox_id,
             CASE WHEN n % 2 = 1 OR c.assignee_id IS NULL THEN 'incoming' ELSE 'outgoing' END,
             (ARRAY['Hello, I need help with my order #', 'Thanks, could you check invoice ',
                    'The app crashes when I open screen ', 'We have refunded payment ',
                    'Can you confirm the delivery address for parcel '])[1 + (c.id + n) % 5] || (c.id * 10 + n),
             'sent',
             CASE WHEN n % 2 = 1 OR c.assignee_id IS NULL THEN 'contact' ELSE 'user' END,
             CASE WHEN n % 2 = 1 OR c.assignee_id IS NULL THEN c.contact_id ELSE c.assignee_id END,
             c.created_at + n * interval '10 minutes', c.created_at + n * interval '10 minutes'
      FROM conversations c, generate_series(1, ${scale.messagesPerConversation}) n
      WHERE c.account_id = ${accountId}`),
  );
  await timed('last message per conversation', () =>
    sql.unsafe(`
      UPDATE conversations c SET last_non_activity_message_id = m.last_id
      FROM (SELECT conversation_id, max(id) AS last_id FROM messages WHERE account_id = ${accountId}
            GROUP BY conversation_id) m
      WHERE c.id = m.conversation_id AND c.account_id = ${accountId}`),
  );
  const [contact] = await sql<{ name: string; email: string; phone: string }[]>`
    SELECT name, email, phone_number AS phone FROM contacts
    WHERE account_id = ${accountId} AND email IS NOT NULL AND phone_number IS NOT NULL
    ORDER BY id OFFSET ${Math.floor(scale.contacts / 10)} LIMIT 1`;
  if (!contact) throw new Error('no sample contact was loaded');
  const open = await sql<{ display_id: string }[]>`
    SELECT display_id FROM conversations WHERE account_id = ${accountId} AND status = 'open'
    ORDER BY last_activity_at DESC LIMIT 50`;
  return {
    agentIds,
    inboxIds,
    teamIds,
    sampleDisplayIds: open.map((row) => Number(row.display_id)),
    sample: contact,
  };
}
