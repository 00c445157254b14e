import { createHash } from 'node:crypto';
import type { Db } from '../../platform/db/database.js';
import type { ConversationChannel } from './conversation-channels.js';
import { endpointAddressOf, listChannelInboxes } from './channel-inboxes.js';

/**
 * A conversation flow is where a channel's conversations enter an inbox: customers who reach
 * `contactEndpointId` on `channel` start in this inbox's routing. An inbox carries one flow per
 * channel it can serve (an email inbox receives emails and contact forms).
 */
export interface ConversationFlow {
  /** Stable per (inbox, channel): a name-based UUID, so the same flow keeps its id. */
  id: string;
  name: string;
  channel: ConversationChannel;
  contactEndpointId: string;
  inboxId: number;
}

/** An RFC 4122 version-5 style UUID from the inbox's UUID and the channel. */
function flowId(inboxUuid: string, channel: ConversationChannel): string {
  const hash = createHash('sha1').update(`${inboxUuid}/${channel}`).digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export async function listConversationFlows(
  db: Db,
  accountId: number,
  channel: ConversationChannel,
): Promise<ConversationFlow[]> {
  const inboxes = await listChannelInboxes(db, accountId, channel);
  return inboxes.map((inbox) => ({
    id: flowId(inbox.uuid, channel),
    name: inbox.name,
    channel,
    contactEndpointId: endpointAddressOf(inbox),
    inboxId: inbox.id,
  }));
}
