import { z } from 'zod';
import { conversationPriorities, conversationStatuses } from '../conversations/conversations.tables.js';
import type { RuleReferences } from './rule-definition.js';
import type { RuleActionName } from './rule-vocabulary.js';

/** `{{contact.email}}` in a transcript address is the conversation's contact, as Chatwoot allows. */
export const CONTACT_EMAIL_VARIABLE = '{{contact.email}}';

const isEmail = (value: string) => z.email().safeParse(value).success;

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (
      (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === ''
    );
  } catch {
    return false;
  }
}

const asId = (value: string) => (/^\d+$/.test(value) ? Number(value) : null);

/** Why the parameters do not suit the action, or null when they do (send_email_to_team is checked apart). */
export function checkParams(
  name: RuleActionName,
  params: string[],
  references: RuleReferences,
): string | null {
  const [first] = params;
  switch (name) {
    case 'send_message':
    case 'add_private_note':
      return first ? null : 'needs the message text';
    case 'add_label':
    case 'remove_label':
      return params.length > 0 ? null : 'needs at least one label';
    case 'assign_agent': {
      if (first === 'nil' || first === 'last_responding_agent') return null;
      const id = first === undefined ? null : asId(first);
      return id !== null && references.agentIds.has(id) ? null : 'needs an agent of this account (or nil)';
    }
    case 'assign_team': {
      if (first === 'nil' || first === '0') return null;
      const id = first === undefined ? null : asId(first);
      return id !== null && references.teamIds.has(id) ? null : 'needs a team of this account (or nil)';
    }
    case 'send_email_transcript': {
      const emails = params.flatMap((param) =>
        param
          .split(',')
          .map((email) => email.trim())
          .filter(Boolean),
      );
      if (emails.length === 0) return 'needs at least one email address';
      const bad = emails.filter((email) => email !== CONTACT_EMAIL_VARIABLE && !isEmail(email));
      return bad.length === 0 ? null : `${bad.join(', ')} is not an email address`;
    }
    case 'send_webhook_event':
      return params.length === 1 && first !== undefined && isHttpUrl(first) ? null : 'needs one http(s) URL';
    case 'send_attachment':
      return params.length > 0 && params.every(isHttpUrl) ? null : 'needs the http(s) URLs of the files';
    case 'change_status':
      return first !== undefined && (conversationStatuses as readonly string[]).includes(first)
        ? null
        : `needs one of ${conversationStatuses.join(', ')}`;
    case 'change_priority':
      return first === 'nil' ||
        (first !== undefined && (conversationPriorities as readonly string[]).includes(first))
        ? null
        : `needs one of ${conversationPriorities.join(', ')}, nil`;
    default:
      return null;
  }
}
