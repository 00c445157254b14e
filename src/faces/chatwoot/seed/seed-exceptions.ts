/**
 * Where the Chatwoot seed is wrong in a way real clients rely on, the checker follows real Chatwoot
 * instead, and only here: each entry names the schema node it replaces and why. Everything else in
 * the seed is the contract as written.
 */
export interface SchemaPatch {
  /** A JSON pointer into the derived document (`/schemas/<name>/...` or `/operations/<i>/...`). */
  at: string;
  /** Keywords merged into the node there (a key set to `undefined` removes that keyword). */
  set: Record<string, unknown>;
  reason: string;
}

export interface StatusException {
  /** `METHOD /seed/path/{template}` as the seed writes it. */
  operation: string;
  /** A status Parley answers that the seed does not list, and the schema that status carries. */
  status: string;
  schema: Record<string, unknown> | null;
  reason: string;
}

const schema = (name: string) => `/schemas/${name}`;

export const SCHEMA_PATCHES: SchemaPatch[] = [
  {
    at: `${schema('conversation')}/properties/status`,
    set: { enum: ['open', 'resolved', 'pending', 'snoozed'] },
    reason:
      'Chatwoot conversations are also `snoozed` (the seed itself lists it as a filter of the list ' +
      'and as a toggle_status value); clients show snoozed conversations.',
  },
  {
    at: `${schema('message')}/properties/message_type`,
    set: { enum: [0, 1, 2, 3] },
    reason: 'Template messages are message_type 3 in Chatwoot (the seed `message_detailed` lists it).',
  },
  {
    at: `${schema('message')}/properties/content_type`,
    set: {
      enum: [
        'text',
        'input_text',
        'input_textarea',
        'input_email',
        'input_select',
        'cards',
        'form',
        'article',
        'incoming_email',
        'input_csat',
        'integrations',
        'sticker',
        'voice_call',
      ],
    },
    reason:
      "Chatwoot's Message model has more content types than the seed's four (input_email is in the " +
      "seed's own create payload, input_csat in `message_detailed`); clients render each of them.",
  },
  {
    at: `${schema('message_detailed')}/properties/content_type`,
    set: {
      enum: [
        'text',
        'input_text',
        'input_textarea',
        'input_email',
        'input_select',
        'cards',
        'form',
        'article',
        'incoming_email',
        'input_csat',
        'integrations',
        'sticker',
        'voice_call',
      ],
    },
    reason: 'As for `message.content_type`.',
  },
  {
    at: `${schema('message_detailed')}/properties/sender`,
    set: {
      $ref: undefined,
      anyOf: [
        { $ref: '#/components/schemas/contact_detail' },
        {
          type: 'object',
          required: ['type'],
          properties: {
            id: { type: 'number' },
            name: { type: 'string' },
            type: { enum: ['user', 'agent_bot'] },
          },
        },
      ],
    },
    reason:
      "The seed gives every message of a conversation a contact as sender; an agent's or a bot's " +
      'reply has that agent or bot as sender (`type` user or agent_bot), as in Chatwoot.',
  },
  {
    at: `${schema('article')}/properties/status`,
    set: { type: 'string' },
    reason:
      'The seed types article `status` as an integer but enumerates strings; Chatwoot renders the ' +
      'enum name (`draft`, `published`, `archived`), which is what the enum says.',
  },
];

export const STATUS_EXCEPTIONS: StatusException[] = [
  {
    operation: 'PUT /api/v1/accounts/{account_id}/contacts/{id}',
    status: '200',
    schema: { $ref: '#/components/schemas/contact_base' },
    reason:
      'The seed documents 204 with a `contact_base` body, which HTTP forbids (a 204 has no content); ' +
      'Chatwoot answers 200 with the contact, so the documented body is checked under 200.',
  },
  {
    operation: 'GET /api/v1/accounts/{account_id}/inboxes/{id}/agent_bot',
    status: '200',
    schema: { $ref: '#/components/schemas/agent_bot' },
    reason:
      'The seed documents 204 with an `agent_bot` body; Chatwoot answers 200 with the bot, and 204 ' +
      '(no content) when the inbox has none.',
  },
];
