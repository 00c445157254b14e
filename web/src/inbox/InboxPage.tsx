import { useCallback, useEffect, type KeyboardEvent } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router';
import type { Conversation } from '../api/types';
import { useAccount } from '../shell/account-context';
import { ConversationPane } from './ConversationPane';
import { ListPane } from './ListPane';
import '../styles/inbox.css';

/** The inbox: the list on the left, the open conversation and its contact on the right. */
export function InboxPage() {
  const { accountId } = useAccount();
  const params = useParams();
  const navigate = useNavigate();
  const location = useLocation();
  const selectedId = params.conversationId ? Number(params.conversationId) : null;

  useEffect(() => {
    document.title = 'Inbox · Parley';
  }, []);

  const open = useCallback(
    (conversation: Conversation) => {
      // Keep the list's filters (the search part) while switching conversations.
      void navigate(`/accounts/${String(accountId)}/inbox/${String(conversation.id)}${location.search}`);
    },
    [accountId, navigate, location.search],
  );

  // Escape anywhere in the inbox returns to the list (menus that use Escape prevent this).
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    const list = event.currentTarget.querySelector<HTMLElement>('[role=listbox]');
    if (list && !list.contains(event.target as Node)) list.focus();
  };

  return (
    <div className={`inbox ${selectedId ? 'has-selection' : ''}`} onKeyDown={onKeyDown}>
      <h1 className="visually-hidden">Inbox</h1>
      <ListPane accountId={accountId} selectedId={selectedId} onOpen={open} />
      {selectedId !== null && Number.isInteger(selectedId) ? (
        <ConversationPane key={selectedId} accountId={accountId} conversationId={selectedId} />
      ) : (
        <section className="empty-pane" aria-label="No conversation open">
          <p>Select a conversation. Use ↑ and ↓ in the list, Enter to open.</p>
        </section>
      )}
    </div>
  );
}
