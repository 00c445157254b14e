import { useEffect, useRef } from 'react';
import { useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { accountPath, api } from '../api/client';
import { keys } from '../api/inbox';
import type { Conversation, ConversationPage } from '../api/types';

/**
 * Records that the agent has seen the open conversation (Chatwoot's `update_last_seen`): once
 * when it opens, and again whenever messages arrive unread while it stays open. The list's unread
 * badge clears at once; the server's `conversation.updated` then confirms it to every screen.
 */
export function useMarkRead(accountId: number, conversation: Conversation | undefined): void {
  const queryClient = useQueryClient();
  const markedId = useRef<number | null>(null);
  const isMarking = useRef(false);
  const id = conversation?.id;
  const unreadCount = conversation?.unreadCount;

  useEffect(() => {
    if (id === undefined || unreadCount === undefined || isMarking.current) return;
    if (markedId.current === id && unreadCount === 0) return;
    markedId.current = id;
    isMarking.current = true;
    void api<Conversation>(accountPath(accountId, `/conversations/${String(id)}/read`), { method: 'POST' })
      .then((read) => {
        queryClient.setQueryData(keys.conversation(accountId, id), read);
        queryClient.setQueriesData<InfiniteData<ConversationPage>>(
          { queryKey: keys.lists(accountId) },
          (lists) =>
            lists && {
              ...lists,
              pages: lists.pages.map((page) => ({
                ...page,
                data: page.data.map((row) => (row.id === id ? { ...row, unreadCount: 0 } : row)),
              })),
            },
        );
      })
      // Best effort: failing to record a look must not disturb reading the conversation.
      .catch(() => undefined)
      .finally(() => {
        isMarking.current = false;
      });
  }, [accountId, id, unreadCount, queryClient]);
}
