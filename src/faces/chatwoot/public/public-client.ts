import { z } from 'zod';
import type { AppContext } from '../../../platform/app-context.js';
import {
  getClientContact,
  getClientInbox,
  type ClientContact,
} from '../../../core/public-client/client-contacts.js';
import { chatwootId } from '../admin-schemas.js';

export const PUBLIC_BASE = '/public/api/v1/inboxes/:inbox_identifier';
export const CONVERSATIONS = `${PUBLIC_BASE}/contacts/:contact_identifier/conversations`;
export const CONVERSATION = `${CONVERSATIONS}/:conversation_id`;

export const inboxParams = z.object({ inbox_identifier: z.string().min(1).max(255) });
export const contactParams = inboxParams.extend({ contact_identifier: z.string().min(1).max(255) });
export const conversationParams = contactParams.extend({ conversation_id: chatwootId });
export const messageParams = conversationParams.extend({ message_id: chatwootId });

/** Resolves the visitor from the path; an unknown inbox or contact identifier is a 404. */
export async function clientOf(
  ctx: AppContext,
  params: { inbox_identifier: string; contact_identifier: string },
): Promise<ClientContact> {
  const inbox = await getClientInbox(ctx.db, params.inbox_identifier);
  return getClientContact(ctx.db, inbox, params.contact_identifier);
}
