import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { range, reportCaller, seedReportHistory, SINCE, unix, UNTIL } from './reports-history.test-kit.js';

describe(`Chatwoot reports: figures (${backendName})`, () => {
  let app: TestApp;
  let history: Awaited<ReturnType<typeof seedReportHistory>>;
  let client: ReturnType<typeof reportCaller>;
  const ok = async (path: string, token?: string, accountId?: number) => {
    const response = await client.get(path, token, accountId);
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  };

  beforeAll(async () => {
    app = await createTestApp();
    history = await seedReportHistory(app);
    client = reportCaller(app, history.a);
  }, 180_000);
  afterAll(() => app.close());

  const values = (points: { value: string }[]) => points.map((point) => point.value);
  const day = (iso: string) => unix(`${iso}T00:00:00Z`);

  it('answers each metric per UTC day with empty days as zeros', async () => {
    const series = async (metric: string) =>
      ok(`/api/v2/accounts/:a/reports?metric=${metric}&type=account&${range}`);

    const conversations = await series('conversations_count');

    expect(conversations).toEqual([
      { value: '2', timestamp: day('2026-03-02') },
      { value: '1', timestamp: day('2026-03-03') },
      { value: '0', timestamp: day('2026-03-04') },
      { value: '1', timestamp: day('2026-03-05') },
    ]);
    expect(values(await series('incoming_messages_count'))).toEqual(['4', '1', '0', '1']);
    expect(values(await series('outgoing_messages_count'))).toEqual(['3', '1', '0', '1']);
    expect(values(await series('resolutions_count'))).toEqual(['1', '1', '0', '0']);
    expect(await series('avg_first_response_time')).toEqual([
      { value: '600', timestamp: day('2026-03-02'), count: 1 },
      { value: '9000', timestamp: day('2026-03-03'), count: 1 },
      { value: '0', timestamp: day('2026-03-04'), count: 0 },
      { value: '0', timestamp: day('2026-03-05'), count: 0 },
    ]);
    expect(values(await series('avg_resolution_time'))).toEqual(['3600', '14400', '0', '0']);
    expect(values(await series('reply_time'))).toEqual(['600', '0', '0', '0']);
  });

  it('groups days in the timezone_offset and by Sunday weeks and months', async () => {
    // +05:30: Mar 2 00:00 local is Mar 1 18:30 UTC; c2 (22:00 UTC) falls on Mar 3 there.
    const localSince = unix('2026-03-01T18:30:00Z');
    const localUntil = unix('2026-03-05T18:29:59Z');
    const local = `since=${localSince}&until=${localUntil}&timezone_offset=5.5`;

    const conversations = await ok(
      `/api/v2/accounts/:a/reports?metric=conversations_count&type=account&${local}`,
    );
    const incoming = await ok(
      `/api/v2/accounts/:a/reports?metric=incoming_messages_count&type=account&${local}`,
    );
    const weeks = await ok(
      `/api/v2/accounts/:a/reports?metric=conversations_count&type=account&${range}&group_by=week`,
    );
    const months = await ok(
      `/api/v2/accounts/:a/reports?metric=outgoing_messages_count&type=account&${range}&group_by=month`,
    );

    expect(conversations).toEqual([
      { value: '1', timestamp: localSince },
      { value: '2', timestamp: localSince + 86_400 },
      { value: '0', timestamp: localSince + 2 * 86_400 },
      { value: '1', timestamp: localSince + 3 * 86_400 },
    ]);
    expect(values(incoming)).toEqual(['3', '2', '0', '1']);
    expect(weeks).toEqual([{ value: '4', timestamp: day('2026-03-01') }]);
    expect(months).toEqual([{ value: '5', timestamp: day('2026-03-01') }]);
  });

  it('scopes figures to an agent, inbox, team and label', async () => {
    const summary = (type: string, id?: number) =>
      ok(`/api/v2/accounts/:a/reports/summary?type=${type}${id ? `&id=${id}` : ''}&${range}`);
    const zeros = {
      conversations_count: 0,
      incoming_messages_count: 0,
      outgoing_messages_count: 0,
      resolutions_count: 0,
    };

    expect(await summary('account')).toEqual({
      avg_first_response_time: '4800',
      avg_resolution_time: '9000',
      conversations_count: 4,
      incoming_messages_count: 6,
      outgoing_messages_count: 5,
      resolutions_count: 2,
      reply_time: '600',
      previous: zeros,
    });
    expect(await summary('agent', history.ann.userId)).toMatchObject({
      avg_first_response_time: '600',
      avg_resolution_time: '3600',
      conversations_count: 2,
      incoming_messages_count: 0,
      outgoing_messages_count: 3,
      resolutions_count: 1,
      reply_time: '600',
    });
    expect(await summary('inbox', history.ids.mail)).toMatchObject({
      avg_first_response_time: '9000',
      conversations_count: 2,
      incoming_messages_count: 2,
      outgoing_messages_count: 2,
      resolutions_count: 1,
    });
    expect(await summary('team', history.ids.sales)).toMatchObject({
      conversations_count: 2,
      incoming_messages_count: 4,
      outgoing_messages_count: 4,
      resolutions_count: 1,
    });
    const bug = await summary('label', history.ids.bug);
    expect(bug).toMatchObject({
      conversations_count: 2,
      incoming_messages_count: 2,
      outgoing_messages_count: 1,
    });
    expect(bug).not.toHaveProperty('reply_time');
  });

  it('compares with the period before', async () => {
    const nextSince = unix('2026-03-06T00:00:00Z');
    const next = `since=${nextSince}&until=${nextSince + (UNTIL - SINCE)}`;

    const body = await ok(`/api/v2/accounts/:a/reports/summary?type=account&${next}`);

    expect(body).toMatchObject({
      conversations_count: 0,
      previous: { conversations_count: 4, resolutions_count: 2 },
    });
  });

  it('summarises per inbox, agent and team, everyone listed', async () => {
    const inboxes = await ok(`/api/v2/accounts/:a/summary_reports/inbox?${range}`);
    const agents = await ok(`/api/v2/accounts/:a/summary_reports/agent?${range}`);
    const teams = await ok(`/api/v2/accounts/:a/summary_reports/team?${range}`);

    expect(inboxes).toEqual([
      {
        id: history.ids.web,
        conversations_count: 2,
        resolved_conversations_count: 1,
        avg_resolution_time: 3600,
        avg_first_response_time: 600,
        avg_reply_time: 600,
      },
      {
        id: history.ids.mail,
        conversations_count: 2,
        resolved_conversations_count: 1,
        avg_resolution_time: 14400,
        avg_first_response_time: 9000,
        avg_reply_time: null,
      },
    ]);
    expect(
      agents.filter((row: { id: number }) => [history.ann.userId, history.bob.userId].includes(row.id)),
    ).toEqual([
      expect.objectContaining({ id: history.ann.userId, conversations_count: 2, avg_reply_time: 600 }),
      {
        id: history.bob.userId,
        conversations_count: 1,
        resolved_conversations_count: 1,
        avg_resolution_time: 14400,
        avg_first_response_time: 9000,
        avg_reply_time: null,
      },
    ]);
    expect(teams).toEqual([
      expect.objectContaining({
        id: history.ids.sales,
        conversations_count: 2,
        resolved_conversations_count: 1,
      }),
      expect.objectContaining({
        id: history.ids.support,
        conversations_count: 1,
        avg_resolution_time: 14400,
      }),
    ]);
  });

  it('breaks down by channel: statuses now and first response bins', async () => {
    const channels = await ok(`/api/v2/accounts/:a/summary_reports/channel?${range}`);
    const distribution = await ok(`/api/v2/accounts/:a/reports/first_response_time_distribution?${range}`);

    expect(channels).toEqual({
      'Channel::Email': { open: 1, resolved: 1, pending: 0, snoozed: 0, total: 2 },
      'Channel::WebWidget': { open: 1, resolved: 1, pending: 0, snoozed: 0, total: 2 },
    });
    expect(distribution).toEqual({
      'Channel::Email': { '0-1h': 0, '1-4h': 1, '4-8h': 0, '8-24h': 0, '24h+': 0 },
      'Channel::WebWidget': { '0-1h': 1, '1-4h': 0, '4-8h': 0, '8-24h': 0, '24h+': 0 },
    });
  });

  it('counts conversations per inbox and label, and outgoing messages per entity', async () => {
    const matrix = await ok(`/api/v2/accounts/:a/reports/inbox_label_matrix?${range}`);
    const webOnly = await ok(
      `/api/v2/accounts/:a/reports/inbox_label_matrix?${range}&inbox_ids[]=${history.ids.web}`,
    );
    const byAgent = await ok(`/api/v2/accounts/:a/reports/outgoing_messages_count?group_by=agent&${range}`);
    const byTeam = await ok(`/api/v2/accounts/:a/reports/outgoing_messages_count?group_by=team&${range}`);
    const byLabel = await ok(`/api/v2/accounts/:a/reports/outgoing_messages_count?group_by=label&${range}`);

    expect(matrix).toEqual({
      inboxes: [
        { id: history.ids.mail, name: 'Mail' },
        { id: history.ids.web, name: 'Web' },
      ],
      labels: [
        { id: history.ids.billing, title: 'billing' },
        { id: history.ids.bug, title: 'bug' },
      ],
      matrix: [
        [0, 1],
        [2, 1],
      ],
    });
    expect(webOnly.matrix).toEqual([[2, 1]]);
    expect(byAgent).toEqual([
      { id: history.ann.userId, name: 'Ann', outgoing_messages_count: 3 },
      { id: history.bob.userId, name: 'Bob', outgoing_messages_count: 1 },
    ]);
    expect(byTeam).toEqual([
      { id: history.ids.sales, name: 'Sales', outgoing_messages_count: 4 },
      { id: history.ids.support, name: 'Support', outgoing_messages_count: 1 },
    ]);
    expect(byLabel).toEqual([
      { id: history.ids.billing, name: 'billing', outgoing_messages_count: 3 },
      { id: history.ids.bug, name: 'bug', outgoing_messages_count: 1 },
    ]);
  });

  it('counts open, unattended and unassigned conversations now, for the account and per agent', async () => {
    const account = await ok('/api/v2/accounts/:a/reports/conversations?type=account');
    const agents = await ok('/api/v2/accounts/:a/reports/conversations/?type=agent');
    const one = await ok(
      `/api/v2/accounts/:a/reports/conversations/?type=agent&user_id=${history.bob.userId}`,
    );

    expect(account).toEqual({ open: 2, unattended: 2, unassigned: 1 });
    expect(
      agents.filter((row: { id: number }) => [history.ann.userId, history.bob.userId].includes(row.id)),
    ).toEqual([
      {
        id: history.ann.userId,
        name: 'Ann',
        email: 'ann@acme.test',
        thumbnail: '',
        availability: 'offline',
        metric: { open: 1, unattended: 1 },
      },
      expect.objectContaining({ id: history.bob.userId, metric: { open: 0, unattended: 0 } }),
    ]);
    expect(one).toHaveLength(1);
  });
});
