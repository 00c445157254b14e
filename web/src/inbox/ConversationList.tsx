import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ConversationFilters, useConversationList } from '../api/inbox';
import type { Conversation } from '../api/types';
import { contactName, shortTime } from './format';

const ROW_HEIGHT = 76;
// Start loading the next page this many rows before the end, so scrolling rarely waits.
const PREFETCH_ROWS = 15;

interface Props {
  list: ReturnType<typeof useConversationList>;
  filters: ConversationFilters;
  selectedId: number | null;
  onOpen: (conversation: Conversation) => void;
}

/**
 * The conversation list: a virtualized listbox (only the visible rows are in the DOM, so 10,000+
 * conversations cost what a screenful does) filled page by page through the keyset cursor.
 * Arrow keys (or j/k) move, Enter opens; the active row is `aria-activedescendant`.
 */
export function ConversationList({ list, filters, selectedId, onOpen }: Props) {
  const rows = list.data?.pages.flatMap((page) => page.data) ?? [];
  const counts = list.data?.pages[0]?.counts;
  const scrollRef = useRef<HTMLDivElement>(null);
  const [activeIndex, setActiveIndex] = useState(0);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });
  const items = virtualizer.getVirtualItems();
  const lastVisible = items.at(-1)?.index ?? 0;

  useEffect(() => {
    if (list.hasNextPage && !list.isFetchingNextPage && lastVisible >= rows.length - PREFETCH_ROWS) {
      void list.fetchNextPage();
    }
  }, [lastVisible, rows.length, list.hasNextPage, list.isFetchingNextPage, list.fetchNextPage]);

  // A new filter is a new list: start at its top.
  useEffect(() => {
    setActiveIndex(0);
    virtualizer.scrollToOffset(0);
  }, [filters, virtualizer]);

  const clamped = Math.min(activeIndex, Math.max(rows.length - 1, 0));
  const active = rows[clamped];

  const move = (index: number) => {
    const next = Math.max(0, Math.min(rows.length - 1, index));
    setActiveIndex(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT) / ROW_HEIGHT));
    const moves: Record<string, number> = {
      ArrowDown: clamped + 1,
      j: clamped + 1,
      ArrowUp: clamped - 1,
      k: clamped - 1,
      PageDown: clamped + page,
      PageUp: clamped - page,
      Home: 0,
      End: rows.length - 1,
    };
    const target = moves[event.key];
    if (target !== undefined && !event.altKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      move(target);
    } else if (event.key === 'Enter' && active) {
      event.preventDefault();
      onOpen(active);
    }
  };

  if (list.isError) {
    return (
      <p className="list-message" role="alert">
        The conversations could not be loaded: {list.error.message}
      </p>
    );
  }

  // An empty listbox is invalid ARIA (a listbox must own options): an empty tab is plain text.
  if (!list.isPending && rows.length === 0) {
    return <p className="list-message">No conversations here.</p>;
  }

  return (
    <div
      ref={scrollRef}
      className="conversation-list"
      role="listbox"
      tabIndex={0}
      aria-label="Conversations"
      aria-busy={list.isPending || list.isFetchingNextPage}
      aria-activedescendant={active ? `conversation-option-${String(active.id)}` : undefined}
      onKeyDown={onKeyDown}
    >
      {list.isPending && <p className="list-message">Loading conversations…</p>}
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((item) => {
          const conversation = rows[item.index];
          if (!conversation) return null;
          return (
            <ConversationRow
              key={conversation.id}
              conversation={conversation}
              top={item.start}
              position={item.index + 1}
              total={counts?.[filters.tab] ?? rows.length}
              isActive={item.index === clamped}
              isSelected={conversation.id === selectedId}
              onClick={() => {
                setActiveIndex(item.index);
                onOpen(conversation);
              }}
            />
          );
        })}
      </div>
    </div>
  );
}

function ConversationRow(props: {
  conversation: Conversation;
  top: number;
  position: number;
  total: number;
  isActive: boolean;
  isSelected: boolean;
  onClick: () => void;
}) {
  const { conversation } = props;
  const preview = conversation.lastMessage;
  const className = ['conversation-row', props.isActive && 'active', props.isSelected && 'selected']
    .filter(Boolean)
    .join(' ');
  return (
    <div
      id={`conversation-option-${String(conversation.id)}`}
      role="option"
      aria-selected={props.isSelected}
      aria-posinset={props.position}
      aria-setsize={Math.max(props.total, props.position)}
      className={className}
      style={{ transform: `translateY(${String(props.top)}px)`, height: ROW_HEIGHT }}
      onClick={props.onClick}
    >
      <div className="row-line">
        <span className="row-name">{contactName(conversation.contact)}</span>
        <time className="row-time" dateTime={conversation.lastActivityAt}>
          {shortTime(conversation.lastActivityAt)}
        </time>
      </div>
      <div className="row-line">
        <span className="row-preview">
          {preview?.private && <span className="row-private">Note: </span>}
          {preview?.content ?? 'No messages yet'}
        </span>
        {conversation.unreadCount > 0 && (
          <span className="unread" aria-label={`${String(conversation.unreadCount)} unread`}>
            {conversation.unreadCount}
          </span>
        )}
      </div>
      <div className="row-line row-meta">
        <span>
          #{conversation.displayId} · {conversation.inbox.name}
        </span>
        <span>
          {conversation.priority && (
            <span className={`priority priority-${conversation.priority}`}>{conversation.priority}</span>
          )}{' '}
          {conversation.status !== 'open' && <span className="status-chip">{conversation.status}</span>}
        </span>
      </div>
    </div>
  );
}
