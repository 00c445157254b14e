import type { QueryClient } from '@tanstack/react-query';
import { keys } from '../api/inbox';
import { typingStore } from './typing-store';

/** A frame from /realtime: a domain event, a typing indicator, or `connection.ready`. */
export interface RealtimeFrame {
  type: string;
  accountId?: number;
  payload?: {
    conversation?: { id?: number; conversationId?: number };
    message?: { conversationId?: number };
    performer?: { type: string; id: number; name: string };
    isPrivate?: boolean;
    /** member.* events: whose membership (presence, role) changed. */
    userId?: number;
  };
}

/**
 * The server is the source of truth: an event only says what to refetch. List refetches are
 * coalesced (a burst of events on a busy account costs one refetch per list, not one per event).
 */
export function createEventHandler(queryClient: QueryClient, accountId: number, selfUserId: number | null) {
  let listTimer: number | undefined;
  const refreshLists = () => {
    window.clearTimeout(listTimer);
    listTimer = window.setTimeout(() => {
      void queryClient.invalidateQueries({ queryKey: keys.lists(accountId) });
    }, 250);
  };

  // The queues screen's live figures and the presence switch (their keys spelled out, so the inbox
  // bundle does not pull the queues screen in); routing moves often, so at most one refetch a second.
  let queuesTimer: number | undefined;
  const refreshQueues = () => {
    if (queuesTimer !== undefined) return;
    queuesTimer = window.setTimeout(() => {
      queuesTimer = undefined;
      void queryClient.invalidateQueries({ queryKey: [...keys.account(accountId), 'queues'] });
      void queryClient.invalidateQueries({ queryKey: [...keys.account(accountId), 'presence', 'list'] });
    }, 1000);
  };

  return {
    handle(frame: RealtimeFrame): void {
      const payload = frame.payload ?? {};
      if (/^(conversation|member|queue)\./.test(frame.type) && !frame.type.includes('typing')) {
        refreshQueues();
      }
      if (frame.type.startsWith('member.') && payload.userId === selfUserId) {
        void queryClient.invalidateQueries({ queryKey: [...keys.account(accountId), 'presence', 'me'] });
      }
      if (frame.type === 'conversation.typing_on' || frame.type === 'conversation.typing_off') {
        const conversationId = payload.conversation?.conversationId;
        const performer = payload.performer;
        if (conversationId === undefined || !performer) return;
        if (performer.type === 'user' && performer.id === selfUserId) return;
        typingStore.set(conversationId, performer, frame.type === 'conversation.typing_on');
        return;
      }
      if (frame.type.startsWith('message.')) {
        const conversationId = payload.message?.conversationId ?? payload.conversation?.id;
        if (conversationId !== undefined) {
          void queryClient.invalidateQueries({ queryKey: keys.messages(accountId, conversationId) });
          void queryClient.invalidateQueries({ queryKey: keys.conversation(accountId, conversationId) });
          typingStore.clear(conversationId);
        }
        refreshLists();
        return;
      }
      if (frame.type.startsWith('conversation.')) {
        const conversationId = payload.conversation?.id;
        if (conversationId !== undefined) {
          void queryClient.invalidateQueries({ queryKey: keys.conversation(accountId, conversationId) });
        }
        refreshLists();
        return;
      }
      if (frame.type.startsWith('contact.')) {
        void queryClient.invalidateQueries({ queryKey: [...keys.account(accountId), 'contact'] });
        return;
      }
      if (frame.type.startsWith('call.')) {
        // A call was processed, failed or lost its data: the library and any open call page refresh
        // (the calls screens' keys, spelled out so the inbox bundle does not pull them in).
        void queryClient.invalidateQueries({ queryKey: [...keys.account(accountId), 'calls'] });
        void queryClient.invalidateQueries({ queryKey: [...keys.account(accountId), 'call'] });
      }
    },
    /** After a reconnect, events may have been missed: refetch everything on screen. */
    resync(): void {
      void queryClient.invalidateQueries({ queryKey: keys.account(accountId) });
    },
    dispose(): void {
      window.clearTimeout(listTimer);
      window.clearTimeout(queuesTimer);
    },
  };
}
