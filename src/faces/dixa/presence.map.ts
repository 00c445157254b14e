import { z } from 'zod';
import type { AgentPresence } from '../../core/presence/agent-presence.js';
import { dixaChannelOf } from '../../core/conversations/conversation-channels.js';

/** Seed `UserPresence`. */
export const dixaUserPresenceSchema = z.object({
  userId: z.string(),
  lastSeen: z.string().optional(),
  requestTime: z.string(),
  activeChannels: z.array(z.string()).optional(),
  presenceStatus: z.string().optional(),
  connectionStatus: z.string(),
});

/**
 * Online means a live connection (availability other than offline); Working is `online`, Away is
 * `busy`. An offline agent has no presence status and works on no channel.
 */
export function toDixaPresence(presence: AgentPresence, requestTime: Date) {
  const isOnline = presence.availability !== 'offline';
  return {
    userId: presence.uuid,
    ...(presence.lastSeenAt && { lastSeen: presence.lastSeenAt.toISOString() }),
    requestTime: requestTime.toISOString(),
    activeChannels: isOnline
      ? [...new Set(presence.activeChannels.map((channelType) => dixaChannelOf({ channelType })))]
      : [],
    ...(isOnline && { presenceStatus: presence.availability === 'online' ? 'Working' : 'Away' }),
    connectionStatus: isOnline ? 'Online' : 'Offline',
  };
}
