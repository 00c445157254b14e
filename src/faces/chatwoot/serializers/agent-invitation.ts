import type { InvitationView } from '../../../core/identity/invitations.js';
import { toChatwootAvailability, type ChatwootAgent } from './agent.js';

/**
 * A pending invitation shown as Chatwoot shows an agent who has not confirmed yet. Every field
 * comes from what the administrator typed, so the answer is the same whether the email belongs to
 * a user of another account or to nobody yet.
 */
export function toChatwootInvitedAgent(invitation: InvitationView): ChatwootAgent {
  const name = invitation.name ?? invitation.email;
  return {
    id: invitation.id,
    account_id: invitation.accountId,
    availability_status: toChatwootAvailability(invitation.availability),
    auto_offline: invitation.autoOffline,
    confirmed: false,
    email: invitation.email,
    available_name: name,
    name,
    role: invitation.role,
    thumbnail: '',
  };
}
