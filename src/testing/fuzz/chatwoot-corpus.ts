import type { TestApp } from '../app.js';
import { HOOK, corpusKit, seedChatwoot, type ChatwootSeed, type CorpusKit } from './chatwoot-seed.js';
import { contactAndConversationEntries } from './chatwoot-corpus-conversations.js';
import { platformAndPublicEntries } from './chatwoot-corpus-public.js';
import type { CorpusEntry, FaceCorpus } from './types.js';

/**
 * Valid requests for every Chatwoot route (application, platform and public client APIs), on an
 * account seeded through the face itself, so every id in a path is a real one.
 */
export async function buildChatwootCorpus(app: TestApp): Promise<FaceCorpus> {
  const seed = await seedChatwoot(app);
  const kit = corpusKit(seed);
  const { t, a, inbox, contact, conversation, message, team, filter, webhook, visitor } = seed;
  const entries = [
    ...adminEntries(seed, kit),
    ...contactAndConversationEntries(seed, kit),
    ...platformAndPublicEntries(seed, kit),
  ];
  return {
    face: 'chatwoot',
    entries,
    credentials: {
      header: 'api_access_token',
      scheme: '',
      tokens: [t.admin.token, t.home.apiKey, t.agent.token],
      foreignTokens: [t.other.apiKey, t.outsider.token, t.agent.token, t.platformToken],
    },
    params: {
      account_id: String(a),
      id: String(contact.id),
      inbox_id: String(inbox.id),
      team_id: String(team.id),
      conversation_id: String(conversation.id),
      message_id: String(message.id),
      webhook_id: String(webhook.id),
      custom_filter_id: String(filter.id),
      inbox_identifier: inbox.inbox_identifier,
      contact_identifier: visitor.source_id,
    },
  };
}

/** Account, agents, bots, inboxes, teams, canned responses and webhooks. */
export function adminEntries(seed: ChatwootSeed, kit: CorpusKit): CorpusEntry[] {
  const {
    t,
    base,
    inbox,
    spareInbox,
    spareInbox2,
    team,
    spareTeam,
    canned,
    spareCanned,
    webhook,
    spareWebhook,
    bot,
    spareBot,
  } = seed;
  const { entry, destroy, acc } = kit;
  return [
    // Account and profile
    entry('GET', acc, base),
    entry('PATCH', acc, base, {
      name: 'Fuzz home',
      locale: 'fr',
      auto_resolve_after: 60,
      timezone: 'Europe/Paris',
    }),
    entry('GET', '/chatwoot/api/v1/profile', '/chatwoot/api/v1/profile'),
    // Agents
    entry('GET', `${acc}/agents`, `${base}/agents`),
    entry('POST', `${acc}/agents`, `${base}/agents`, {
      name: 'New agent',
      email: 'new-agent@fuzz.test',
      role: 'agent',
    }),
    entry('PATCH', `${acc}/agents/:id`, `${base}/agents/${t.agent.userId}`, {
      role: 'agent',
      availability_status: 'busy',
      auto_offline: true,
    }),
    entry('DELETE', `${acc}/agents/:id`, `${base}/agents/${t.spare.userId}`, undefined, destroy),
    // Agent bots
    entry('GET', `${acc}/agent_bots`, `${base}/agent_bots`),
    entry('POST', `${acc}/agent_bots`, `${base}/agent_bots`, {
      name: 'Bot',
      description: 'd',
      outgoing_url: HOOK,
      bot_type: 0,
      bot_config: {},
    }),
    entry('GET', `${acc}/agent_bots/:id`, `${base}/agent_bots/${bot.id}`),
    entry('PATCH', `${acc}/agent_bots/:id`, `${base}/agent_bots/${bot.id}`, { description: 'updated' }),
    entry('DELETE', `${acc}/agent_bots/:id`, `${base}/agent_bots/${spareBot.id}`, undefined, destroy),
    // Inboxes and their members
    entry('GET', `${acc}/inboxes`, `${base}/inboxes`),
    entry('POST', `${acc}/inboxes`, `${base}/inboxes`, {
      name: 'Website',
      greeting_enabled: true,
      greeting_message: 'Hi',
      working_hours_enabled: true,
      working_hours: [{ day_of_week: 1, open_hour: 9, open_minutes: 0, close_hour: 17, close_minutes: 30 }],
      auto_assignment_config: { max_assignment_limit: 3 },
      channel: { type: 'web_widget', website_url: 'https://example.com', widget_color: '#1f93ff' },
    }),
    entry('GET', `${acc}/inboxes/:id`, `${base}/inboxes/${inbox.id}`),
    entry('PATCH', `${acc}/inboxes/:id`, `${base}/inboxes/${inbox.id}`, {
      name: 'Fuzz API',
      enable_auto_assignment: true,
      channel: { webhook_url: '' },
    }),
    entry('DELETE', `${acc}/inboxes/:id`, `${base}/inboxes/${spareInbox.id}`, undefined, destroy),
    // Chatwoot's clients also call the inbox routes with a trailing slash.
    entry('GET', `${acc}/inboxes/`, `${base}/inboxes/`),
    entry('POST', `${acc}/inboxes/`, `${base}/inboxes/`, { name: 'Slash', channel: { type: 'api' } }),
    entry('GET', `${acc}/inboxes/:id/`, `${base}/inboxes/${inbox.id}/`),
    entry('PATCH', `${acc}/inboxes/:id/`, `${base}/inboxes/${inbox.id}/`, { greeting_enabled: false }),
    entry('DELETE', `${acc}/inboxes/:id/`, `${base}/inboxes/${spareInbox2.id}/`, undefined, destroy),
    entry('GET', `${acc}/inboxes/:id/agent_bot`, `${base}/inboxes/${inbox.id}/agent_bot`),
    entry('POST', `${acc}/inboxes/:id/set_agent_bot`, `${base}/inboxes/${inbox.id}/set_agent_bot`, {
      agent_bot: bot.id,
    }),
    entry('GET', `${acc}/inbox_members/:inbox_id`, `${base}/inbox_members/${inbox.id}`),
    entry('POST', `${acc}/inbox_members`, `${base}/inbox_members`, {
      inbox_id: inbox.id,
      user_ids: [t.agent.userId],
    }),
    entry('PATCH', `${acc}/inbox_members`, `${base}/inbox_members`, {
      inbox_id: inbox.id,
      user_ids: [t.agent.userId, t.admin.userId],
    }),
    entry(
      'DELETE',
      `${acc}/inbox_members`,
      `${base}/inbox_members`,
      { inbox_id: inbox.id, user_ids: [t.admin.userId] },
      destroy,
    ),
    // Teams
    entry('GET', `${acc}/teams`, `${base}/teams`),
    entry('POST', `${acc}/teams`, `${base}/teams`, {
      name: 'Sales',
      description: 'd',
      allow_auto_assign: false,
    }),
    entry('GET', `${acc}/teams/:team_id`, `${base}/teams/${team.id}`),
    entry('PATCH', `${acc}/teams/:team_id`, `${base}/teams/${team.id}`, { description: 'updated' }),
    entry('DELETE', `${acc}/teams/:team_id`, `${base}/teams/${spareTeam.id}`, undefined, destroy),
    entry('GET', `${acc}/teams/:team_id/team_members`, `${base}/teams/${team.id}/team_members`),
    entry('POST', `${acc}/teams/:team_id/team_members`, `${base}/teams/${team.id}/team_members`, {
      user_ids: [t.agent.userId],
    }),
    entry('PATCH', `${acc}/teams/:team_id/team_members`, `${base}/teams/${team.id}/team_members`, {
      user_ids: [t.agent.userId, t.admin.userId],
    }),
    entry(
      'DELETE',
      `${acc}/teams/:team_id/team_members`,
      `${base}/teams/${team.id}/team_members`,
      { user_ids: [t.admin.userId] },
      destroy,
    ),
    // Canned responses
    entry('GET', `${acc}/canned_responses`, `${base}/canned_responses?search=hi`),
    entry('POST', `${acc}/canned_responses`, `${base}/canned_responses`, {
      short_code: 'thanks',
      content: 'Thank you',
    }),
    entry('PATCH', `${acc}/canned_responses/:id`, `${base}/canned_responses/${canned.id}`, {
      content: 'Hello there',
    }),
    entry(
      'DELETE',
      `${acc}/canned_responses/:id`,
      `${base}/canned_responses/${spareCanned.id}`,
      undefined,
      destroy,
    ),
    // Webhooks
    entry('GET', `${acc}/webhooks`, `${base}/webhooks`),
    entry('POST', `${acc}/webhooks`, `${base}/webhooks`, {
      url: `${HOOK}/new`,
      name: 'n',
      subscriptions: ['conversation_created', 'message_created'],
    }),
    entry('PATCH', `${acc}/webhooks/:webhook_id`, `${base}/webhooks/${webhook.id}`, {
      name: 'renamed',
      subscriptions: ['contact_created'],
    }),
    entry('DELETE', `${acc}/webhooks/:webhook_id`, `${base}/webhooks/${spareWebhook.id}`, undefined, destroy),
  ];
}
