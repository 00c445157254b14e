import { useId, useRef, useState, type KeyboardEvent, type SyntheticEvent } from 'react';
import { sendTyping, useCannedResponses, useSendMessage } from '../api/inbox';
import { insertCanned, matchCanned, slashToken } from './canned';
import { fileSize } from './format';

const TYPING_EVERY_MS = 3_000;

/** Reply or private note, with files; `/` opens the canned responses. */
export function ReplyBox({ accountId, conversationId }: { accountId: number; conversationId: number }) {
  const send = useSendMessage(accountId, conversationId);
  const canned = useCannedResponses(accountId).data ?? [];
  const [text, setText] = useState('');
  const [isPrivate, setPrivate] = useState(false);
  const [files, setFiles] = useState<File[]>([]);
  const [caret, setCaret] = useState(0);
  const [highlight, setHighlight] = useState(0);
  const [dismissed, setDismissed] = useState<number | null>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const lastTyping = useRef(0);
  const ids = useId();

  const token = slashToken(text, caret);
  const suggestions = token && dismissed !== token.start ? matchCanned(canned, token.query) : [];
  const menuOpen = suggestions.length > 0;
  const active = suggestions[Math.min(highlight, suggestions.length - 1)];

  const typing = (on: boolean) => {
    const now = Date.now();
    if (on && now - lastTyping.current < TYPING_EVERY_MS) return;
    lastTyping.current = on ? now : 0;
    if (!isPrivate || !on) sendTyping(accountId, conversationId, on);
  };

  const choose = (index: number) => {
    const response = suggestions[index];
    if (!token || !response) return;
    const next = insertCanned(text, token, response);
    setText(next.text);
    setCaret(next.caret);
    window.requestAnimationFrame(() => textRef.current?.setSelectionRange(next.caret, next.caret));
  };

  const submit = (event?: SyntheticEvent) => {
    event?.preventDefault();
    if (send.isPending || (text.trim() === '' && files.length === 0)) return;
    typing(false);
    send.mutate(
      { content: text, private: isPrivate, files },
      {
        onSuccess: () => {
          setText('');
          setFiles([]);
          if (fileRef.current) fileRef.current.value = '';
        },
      },
    );
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (menuOpen) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        setHighlight((highlight + step + suggestions.length) % suggestions.length);
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault();
        choose(Math.min(highlight, suggestions.length - 1));
        return;
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        setDismissed(token?.start ?? null);
        return;
      }
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };

  return (
    <form className={`reply-box ${isPrivate ? 'private' : ''}`} onSubmit={submit} aria-label="Reply">
      <div className="reply-mode">
        <label className="check">
          <input type="checkbox" checked={isPrivate} onChange={(event) => setPrivate(event.target.checked)} />
          Private note (only agents see it)
        </label>
        <span className="subtle" id={`${ids}-hint`}>
          Enter sends, Shift+Enter adds a line, / inserts a canned response
        </span>
      </div>
      <label htmlFor={`${ids}-text`} className="visually-hidden">
        {isPrivate ? 'Private note' : 'Reply'}
      </label>
      <textarea
        id={`${ids}-text`}
        ref={textRef}
        rows={3}
        value={text}
        placeholder={isPrivate ? 'Write a private note…' : 'Write a reply…'}
        aria-describedby={`${ids}-hint`}
        aria-autocomplete="list"
        aria-controls={menuOpen ? `${ids}-canned` : undefined}
        aria-activedescendant={menuOpen && active ? `${ids}-canned-${String(active.id)}` : undefined}
        onChange={(event) => {
          setText(event.target.value);
          setCaret(event.target.selectionStart);
          setHighlight(0);
          typing(event.target.value !== '');
        }}
        onSelect={(event) => setCaret(event.currentTarget.selectionStart)}
        onKeyDown={onKeyDown}
        onBlur={() => typing(false)}
      />
      {menuOpen && (
        <ul className="canned-menu" role="listbox" id={`${ids}-canned`} aria-label="Canned responses">
          {suggestions.map((response, index) => (
            <li
              key={response.id}
              id={`${ids}-canned-${String(response.id)}`}
              role="option"
              aria-selected={response === active}
              className={response === active ? 'active' : ''}
              onMouseDown={(event) => {
                event.preventDefault();
                choose(index);
              }}
            >
              <strong>/{response.shortCode}</strong> <span className="subtle">{response.content}</span>
            </li>
          ))}
        </ul>
      )}
      {files.length > 0 && (
        <ul className="file-chips" aria-label="Files to send">
          {files.map((file, index) => (
            <li key={`${file.name}-${String(index)}`}>
              {file.name} <span className="subtle">{fileSize(file.size)}</span>
              <button
                type="button"
                className="link-button"
                aria-label={`Remove ${file.name}`}
                onClick={() => setFiles(files.filter((_, other) => other !== index))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="reply-actions">
        <label className="button file-button">
          Attach files
          <input
            ref={fileRef}
            type="file"
            multiple
            className="visually-hidden"
            onChange={(event) => setFiles([...files, ...Array.from(event.target.files ?? [])])}
          />
        </label>
        {send.isError && (
          <span className="form-error" role="alert">
            {send.error.message}
          </span>
        )}
        <button type="submit" className="button primary" disabled={send.isPending}>
          {isPrivate ? 'Add note' : 'Send'}
        </button>
      </div>
    </form>
  );
}
