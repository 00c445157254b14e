import { useEffect, useLayoutEffect, useRef } from 'react';
import { useMessages } from '../api/inbox';
import type { Attachment, Message } from '../api/types';
import { useTypists } from '../realtime/typing-store';
import { fileSize, fullTime, shortTime } from './format';

/** The thread, oldest at the top; older pages load on demand; new messages scroll into view. */
export function MessageThread({ accountId, conversationId }: { accountId: number; conversationId: number }) {
  const messages = useMessages(accountId, conversationId);
  const typists = useTypists(conversationId);
  const scrollRef = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  // Pages arrive newest first, each oldest first inside: reverse the pages, keep their order.
  const rows = messages.data ? [...messages.data.pages].reverse().flatMap((page) => page.data) : [];
  const newestId = rows.at(-1)?.id;

  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (element && stickToBottom.current) element.scrollTop = element.scrollHeight;
  }, [newestId, typists.length]);

  useEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    const onScroll = () => {
      stickToBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 80;
    };
    element.addEventListener('scroll', onScroll, { passive: true });
    return () => element.removeEventListener('scroll', onScroll);
  }, []);

  return (
    <div ref={scrollRef} className="thread" tabIndex={0} aria-label="Messages">
      {messages.hasNextPage && (
        <button
          type="button"
          className="button load-older"
          disabled={messages.isFetchingNextPage}
          onClick={() => {
            stickToBottom.current = false;
            void messages.fetchNextPage();
          }}
        >
          {messages.isFetchingNextPage ? 'Loading…' : 'Load older messages'}
        </button>
      )}
      {messages.isPending && <p className="list-message">Loading messages…</p>}
      {messages.isError && (
        <p className="list-message" role="alert">
          Messages could not be loaded: {messages.error.message}
        </p>
      )}
      {/* The log role on a wrapper: on the <ol> itself it would take the items' list semantics away. */}
      <div role="log" aria-live="polite" aria-relevant="additions">
        <ol className="messages">
          {rows.map((message) => (
            <MessageItem key={message.id} message={message} />
          ))}
        </ol>
      </div>
      {typists.length > 0 && (
        <p className="typing" role="status">
          {typists.map((typist) => typist.name).join(', ')} {typists.length > 1 ? 'are' : 'is'} typing…
        </p>
      )}
    </div>
  );
}

function MessageItem({ message }: { message: Message }) {
  if (message.messageType === 'activity') {
    return (
      <li className="message activity">
        <span>{message.content}</span>{' '}
        <time dateTime={message.createdAt}>{shortTime(message.createdAt)}</time>
      </li>
    );
  }
  const kind = message.private ? 'note' : message.messageType === 'incoming' ? 'incoming' : 'outgoing';
  const who = message.sender?.name ?? (kind === 'incoming' ? 'Contact' : 'System');
  return (
    <li className={`message ${kind}`} data-message-id={message.id}>
      <div className="bubble">
        <div className="message-meta">
          <span className="sender">{who}</span>
          {message.private && <span className="note-badge">Private note</span>}
          <time dateTime={message.createdAt} title={fullTime(message.createdAt)}>
            {shortTime(message.createdAt)}
          </time>
        </div>
        {message.content && <p className="message-content">{message.content}</p>}
        {message.attachments.length > 0 && (
          <ul className="attachments">
            {message.attachments.map((attachment) => (
              <li key={attachment.id}>
                <AttachmentPreview attachment={attachment} />
              </li>
            ))}
          </ul>
        )}
        {kind === 'outgoing' && message.status === 'failed' && <p className="form-error">Not delivered</p>}
      </div>
    </li>
  );
}

function AttachmentPreview({ attachment }: { attachment: Attachment }) {
  const name = attachment.fileName ?? 'attachment';
  if (!attachment.url) return <span className="file">{name} (unavailable)</span>;
  const type = attachment.contentType ?? '';
  if (attachment.fileType === 'image' || type.startsWith('image/')) {
    return (
      <a href={attachment.url} target="_blank" rel="noreferrer">
        <img className="preview-image" src={attachment.url} alt={name} loading="lazy" />
      </a>
    );
  }
  if (attachment.fileType === 'audio' || type.startsWith('audio/')) {
    return (
      <figure className="preview-media">
        <audio controls preload="none" src={attachment.url} aria-label={name} />
        <figcaption>{name}</figcaption>
      </figure>
    );
  }
  if (attachment.fileType === 'video' || type.startsWith('video/')) {
    return (
      <figure className="preview-media">
        <video controls preload="metadata" src={attachment.url} aria-label={name} className="preview-video" />
        <figcaption>{name}</figcaption>
      </figure>
    );
  }
  return (
    <a className="file" href={attachment.url} download={name}>
      📎 {name} <span className="subtle">{fileSize(attachment.byteSize)}</span>
    </a>
  );
}
