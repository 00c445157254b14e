import { randomUUID } from 'node:crypto';
import type { ChatwootSeed, CorpusKit } from './chatwoot-seed.js';
import type { CorpusEntry, FuzzRequest } from './types.js';

/** Contacts, custom attributes and filters, conversations and messages. */
export function contactAndConversationEntries(seed: ChatwootSeed, kit: CorpusKit): CorpusEntry[] {
  const {
    t,
    a,
    token,
    base,
    inbox,
    contact,
    spareContact,
    mergee,
    conversation,
    conv,
    message,
    spareMessage,
    team,
    attribute,
    spareAttribute,
    filterQuery,
    filter,
    contactQuery,
    spareFilter,
  } = seed;
  const { entry, destroy, acc, convRoute } = kit;
  return [
    // Contacts and their relations
    entry('GET', `${acc}/contacts`, `${base}/contacts?page=1&sort=-last_activity_at`),
    entry('GET', `${acc}/contacts/search`, `${base}/contacts/search?q=jane&page=1&sort=name`),
    entry('POST', `${acc}/contacts/filter`, `${base}/contacts/filter?page=1`, {
      payload: [
        { attribute_key: 'name', filter_operator: 'contains', values: ['jane'], query_operator: 'and' },
        { attribute_key: 'created_at', filter_operator: 'days_before', values: [3], query_operator: 'or' },
        {
          attribute_key: 'plan',
          filter_operator: 'equal_to',
          values: ['pro'],
          attribute_model: 'custom_attribute',
          custom_attribute_type: 'list',
        },
      ],
    }),
    entry('POST', `${acc}/contacts`, `${base}/contacts`, {
      name: 'New contact',
      email: 'new-contact@fuzz.test',
      phone_number: '+14155550100',
      identifier: 'ext-1',
      additional_attributes: { company_name: 'Acme', city: 'Paris' },
      custom_attributes: { plan: 'pro' },
      inbox_id: inbox.id,
    }),
    entry('GET', `${acc}/contacts/:id`, `${base}/contacts/${contact.id}`),
    entry('PUT', `${acc}/contacts/:id`, `${base}/contacts/${contact.id}`, {
      name: 'Jane Fuzz',
      blocked: false,
    }),
    entry('PATCH', `${acc}/contacts/:id`, `${base}/contacts/${contact.id}`, {
      custom_attributes: { plan: 'free' },
      additional_attributes: { city: 'Lyon' },
    }),
    entry('DELETE', `${acc}/contacts/:id`, `${base}/contacts/${spareContact.id}`, undefined, destroy),
    entry('GET', `${acc}/contacts/:id/labels`, `${base}/contacts/${contact.id}/labels`),
    entry('POST', `${acc}/contacts/:id/labels`, `${base}/contacts/${contact.id}/labels`, {
      labels: ['vip', 'lead'],
    }),
    entry('POST', `${acc}/contacts/:id/contact_inboxes`, `${base}/contacts/${contact.id}/contact_inboxes`, {
      inbox_id: inbox.id,
      source_id: randomUUID(),
    }),
    entry(
      'GET',
      `${acc}/contacts/:id/contactable_inboxes`,
      `${base}/contacts/${contact.id}/contactable_inboxes`,
    ),
    entry('GET', `${acc}/contacts/:id/conversations`, `${base}/contacts/${contact.id}/conversations`),
    entry(
      'POST',
      `${acc}/actions/contact_merge`,
      `${base}/actions/contact_merge`,
      { base_contact_id: contact.id, mergee_contact_id: mergee.id },
      destroy,
    ),
    // Custom attributes and filters
    entry(
      'GET',
      `${acc}/custom_attribute_definitions`,
      `${base}/custom_attribute_definitions?attribute_model=contact_attribute`,
    ),
    entry('POST', `${acc}/custom_attribute_definitions`, `${base}/custom_attribute_definitions`, {
      custom_attribute_definition: {
        attribute_display_name: 'Signed up',
        attribute_display_type: 5,
        attribute_key: 'signed_up',
        attribute_model: 1,
        regex_pattern: '^\\d+$',
      },
    }),
    entry(
      'GET',
      `${acc}/custom_attribute_definitions/:id`,
      `${base}/custom_attribute_definitions/${attribute.id}`,
    ),
    entry(
      'PATCH',
      `${acc}/custom_attribute_definitions/:id`,
      `${base}/custom_attribute_definitions/${attribute.id}`,
      { attribute_values: ['free', 'pro', 'team'] },
    ),
    entry(
      'PUT',
      `${acc}/custom_attribute_definitions/:id`,
      `${base}/custom_attribute_definitions/${attribute.id}`,
      { attribute_description: 'plan' },
    ),
    entry(
      'DELETE',
      `${acc}/custom_attribute_definitions/:id`,
      `${base}/custom_attribute_definitions/${spareAttribute.id}`,
      undefined,
      destroy,
    ),
    entry('GET', `${acc}/custom_filters`, `${base}/custom_filters?filter_type=conversation`),
    entry('POST', `${acc}/custom_filters`, `${base}/custom_filters`, {
      custom_filter: { name: 'Mine', filter_type: 'contact', query: contactQuery },
    }),
    entry('GET', `${acc}/custom_filters/:custom_filter_id`, `${base}/custom_filters/${filter.id}`),
    entry('PATCH', `${acc}/custom_filters/:custom_filter_id`, `${base}/custom_filters/${filter.id}`, {
      name: 'Open ones',
    }),
    entry('PUT', `${acc}/custom_filters/:custom_filter_id`, `${base}/custom_filters/${filter.id}`, {
      query: filterQuery,
    }),
    entry(
      'DELETE',
      `${acc}/custom_filters/:custom_filter_id`,
      `${base}/custom_filters/${spareFilter.id}`,
      undefined,
      destroy,
    ),
    // Conversations
    entry(
      'GET',
      `${acc}/conversations`,
      `${base}/conversations?status=open&assignee_type=all&page=1&labels[]=vip&inbox_id=${inbox.id}&q=hello`,
    ),
    entry(
      'GET',
      `${acc}/conversations/meta`,
      `${base}/conversations/meta?status=all&labels=vip,lead&team_id=${team.id}`,
    ),
    entry('POST', `${acc}/conversations/filter`, `${base}/conversations/filter?page=1`, {
      payload: [
        {
          attribute_key: 'status',
          filter_operator: 'equal_to',
          values: ['open', 'pending'],
          query_operator: 'AND',
        },
        {
          attribute_key: 'assignee_id',
          filter_operator: 'equal_to',
          values: [{ id: t.agent.userId, name: 'Agent' }],
          query_operator: 'or',
        },
        { attribute_key: 'created_at', filter_operator: 'is_greater_than', values: ['2026-01-01'] },
      ],
    }),
    entry('POST', `${acc}/conversations`, `${base}/conversations`, {
      source_id: randomUUID(),
      inbox_id: inbox.id,
      contact_id: contact.id,
      additional_attributes: { browser: 'Firefox' },
      custom_attributes: { order: 42 },
      status: 'pending',
      assignee_id: t.agent.userId,
      team_id: team.id,
      message: { content: 'first message' },
    }),
    entry('POST', `${acc}/conversations`, `${base}/conversations`, {
      source_id: randomUUID(),
      inbox_id: inbox.id,
      contact_id: contact.id,
      status: 'snoozed',
      snoozed_until: '2030-01-01T08:00:00+02:00',
      message: { content: 'later', template_params: { name: 'welcome', category: 'UTILITY' } },
    }),
    entry('GET', convRoute, conv),
    entry('PATCH', convRoute, conv, { priority: 'high' }),
    entry('POST', `${convRoute}/toggle_status`, `${conv}/toggle_status`, {
      status: 'snoozed',
      snoozed_until: 1_900_000_000,
    }),
    entry('POST', `${convRoute}/toggle_priority`, `${conv}/toggle_priority`, { priority: 'urgent' }),
    entry('POST', `${convRoute}/toggle_typing_status`, `${conv}/toggle_typing_status`, {
      typing_status: 'on',
      is_private: false,
    }),
    entry('POST', `${convRoute}/custom_attributes`, `${conv}/custom_attributes`, {
      custom_attributes: { order: 7, vip: true },
    }),
    entry('GET', `${convRoute}/labels`, `${conv}/labels`),
    entry('POST', `${convRoute}/labels`, `${conv}/labels`, { labels: ['billing'] }),
    entry('POST', `${convRoute}/assignments`, `${conv}/assignments`, { assignee_id: t.agent.userId }),
    entry('POST', `${convRoute}/assignments`, `${conv}/assignments`, { team_id: team.id }),
    entry('GET', `${convRoute}/messages`, `${conv}/messages?before=${message.id + 100}`),
    entry(
      'GET',
      '/chatwoot/accounts/:account_id/conversations/:conversation_id/messages',
      `/chatwoot/accounts/${a}/conversations/${conversation.id}/messages?after=1`,
    ),
    entry('POST', `${convRoute}/messages`, `${conv}/messages`, {
      content: 'Pick one',
      message_type: 'outgoing',
      private: false,
      content_type: 'input_select',
      content_attributes: { items: [{ title: 'A', value: 'a' }] },
      echo_id: 'echo-1',
    }),
    {
      route: `${convRoute}/messages`,
      request: multipartMessage(`${conv}/messages`, token),
    },
    entry(
      'DELETE',
      `${convRoute}/messages/:message_id`,
      `${conv}/messages/${spareMessage.id}`,
      undefined,
      destroy,
    ),
  ];
}

/** A message with an attachment, as Chatwoot's dashboard sends it. */
function multipartMessage(url: string, headers: Record<string, string>): FuzzRequest {
  const boundary = 'fuzzboundary';
  const body = [
    `--${boundary}\r\nContent-Disposition: form-data; name="content"\r\n\r\nsee attached\r\n`,
    `--${boundary}\r\nContent-Disposition: form-data; name="private"\r\n\r\ntrue\r\n`,
    `--${boundary}\r\nContent-Disposition: form-data; name="attachments[]"; filename="notes.txt"\r\nContent-Type: text/plain\r\n\r\nhello\r\n`,
    `--${boundary}--\r\n`,
  ].join('');
  return {
    method: 'POST',
    url,
    headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
    rawBody: Buffer.from(body),
  };
}
