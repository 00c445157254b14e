import { useConversation } from '../api/inbox';
import { ContactPanel } from './ContactPanel';
import { ConversationActions } from './ConversationActions';
import { contactName } from './format';
import { MessageThread } from './MessageThread';
import { ReplyBox } from './ReplyBox';
import { useMarkRead } from './mark-read';

/** One open conversation: header and actions, the thread, the reply box, the contact beside. */
export function ConversationPane({
  accountId,
  conversationId,
}: {
  accountId: number;
  conversationId: number;
}) {
  const conversation = useConversation(accountId, conversationId);
  useMarkRead(accountId, conversation.data);

  if (conversation.isPending) {
    return (
      <section className="conversation-pane" aria-busy="true" aria-label="Conversation">
        <p className="list-message">Loading the conversation…</p>
      </section>
    );
  }
  if (conversation.isError) {
    return (
      <section className="conversation-pane" aria-label="Conversation">
        <p className="list-message" role="alert">
          This conversation could not be loaded: {conversation.error.message}
        </p>
      </section>
    );
  }

  const data = conversation.data;
  return (
    <>
      <section className="conversation-pane" aria-labelledby="conversation-title">
        <header className="conversation-header">
          <div>
            <h2 id="conversation-title">{contactName(data.contact)}</h2>
            <p className="subtle">
              #{data.displayId} · {data.inbox.name} ·{' '}
              <span className={`status-chip status-${data.status}`} data-testid="conversation-status">
                {data.status}
              </span>
              {data.status === 'snoozed' && data.snoozedUntil && (
                <> until {new Date(data.snoozedUntil).toLocaleString()}</>
              )}
              {data.assignee && <> · Assigned to {data.assignee.name}</>}
              {data.team && <> · {data.team.name}</>}
            </p>
            {data.labels.length > 0 && (
              <ul className="chips" aria-label="Labels">
                {data.labels.map((label) => (
                  <li key={label} className="chip">
                    {label}
                  </li>
                ))}
              </ul>
            )}
          </div>
          <ConversationActions accountId={accountId} conversation={data} />
        </header>
        <MessageThread accountId={accountId} conversationId={conversationId} />
        <ReplyBox accountId={accountId} conversationId={conversationId} />
      </section>
      <ContactPanel accountId={accountId} conversation={data} />
    </>
  );
}
