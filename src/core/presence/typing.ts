import type { RealtimeBus } from '../../platform/realtime/realtime-bus.js';

export type TypingPerformer = { type: 'contact' | 'user' | 'agent_bot'; id: number; name: string };

/**
 * Typing indicators are ephemeral: pushed to the account's connected clients through the bus,
 * never written to the outbox (they would flood it and mean nothing a second later). They carry
 * event id 0 because no domain event stands behind them.
 */
export async function publishTyping(
  bus: RealtimeBus,
  input: {
    accountId: number;
    conversation: { id: number; displayId: number; inboxId: number };
    performer: TypingPerformer;
    isTyping: boolean;
    isPrivate?: boolean;
  },
): Promise<void> {
  await bus.publish({
    accountId: input.accountId,
    id: 0,
    type: input.isTyping ? 'conversation.typing_on' : 'conversation.typing_off',
    occurredAt: new Date().toISOString(),
    payload: {
      conversation: {
        id: input.conversation.displayId,
        conversationId: input.conversation.id,
        inboxId: input.conversation.inboxId,
      },
      performer: input.performer,
      isPrivate: input.isPrivate ?? false,
    },
  });
}
