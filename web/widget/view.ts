import type { Message } from './api.js';
import { WIDGET_CSS } from './styles.js';

export interface ViewHandlers {
  onOpen(): void;
  onSend(text: string): Promise<boolean>;
  /** The visitor started or stopped typing (stopped: idle a few seconds, sent, or cleared). */
  onTyping(isTyping: boolean): void;
}

export interface WidgetView {
  setTitle(title: string): void;
  showMessages(messages: readonly Message[]): void;
  setStatus(text: string): void;
  /** Shows (or hides) that an agent is writing a reply. */
  setAgentTyping(isTyping: boolean): void;
  readonly isOpen: boolean;
}

const CHAT_ICON =
  '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"/></svg>';

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * The widget's DOM in a shadow root: a bubble that opens a non-modal chat panel (a labelled
 * dialog with the conversation as a live log, a labelled textarea and Send). Escape or the close
 * button closes it and gives focus back to the bubble; opening puts focus in the textarea.
 * Message text is set as text, never parsed as HTML.
 */
export function mountView(handlers: ViewHandlers): WidgetView {
  const host = element('div', { 'data-parley-widget': '' });
  const shadow = host.attachShadow({ mode: 'open' });
  const style = element('style', {}, WIDGET_CSS);
  const root = element('div', { class: 'root' });

  const bubble = element('button', {
    class: 'bubble',
    type: 'button',
    'aria-label': 'Open chat',
    'aria-expanded': 'false',
    'aria-controls': 'parley-panel',
  });
  bubble.innerHTML = CHAT_ICON;

  const panel = element('section', {
    class: 'panel',
    id: 'parley-panel',
    role: 'dialog',
    'aria-labelledby': 'parley-title',
    hidden: '',
  });
  const header = element('div', { class: 'header' });
  const title = element('h2', { id: 'parley-title' }, 'Chat with us');
  const close = element('button', { class: 'close', type: 'button', 'aria-label': 'Close chat' }, '×');
  header.append(title, close);

  const log = element('div', {
    class: 'log',
    role: 'log',
    'aria-live': 'polite',
    'aria-label': 'Conversation',
  });
  const status = element('p', { class: 'status', role: 'status' });
  const typing = element('p', { class: 'typing', 'aria-live': 'polite' });
  const form = element('form');
  const label = element('label', { for: 'parley-input', class: 'visually-hidden' }, 'Message');
  const input = element('textarea', { id: 'parley-input', rows: '1', placeholder: 'Write a message…' });
  const send = element('button', { class: 'send', type: 'submit' }, 'Send');
  form.append(label, input, send);
  panel.append(header, log, typing, status, form);
  root.append(panel, bubble);
  shadow.append(style, root);
  document.body.append(host);

  let isOpen = false;
  function setOpen(open: boolean): void {
    isOpen = open;
    panel.hidden = !open;
    bubble.setAttribute('aria-expanded', String(open));
    bubble.setAttribute('aria-label', open ? 'Close chat' : 'Open chat');
    if (open) {
      input.focus();
      handlers.onOpen();
    } else {
      bubble.focus();
    }
  }
  bubble.addEventListener('click', () => setOpen(!isOpen));
  close.addEventListener('click', () => setOpen(false));
  root.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && isOpen) {
      event.stopPropagation();
      setOpen(false);
    }
  });

  // Typing: "on" once when the visitor starts, "off" after a pause, a send or an empty box.
  const TYPING_IDLE_MS = 3000;
  let isTyping = false;
  let idle: ReturnType<typeof setTimeout> | undefined;
  function typed(stillTyping: boolean): void {
    clearTimeout(idle);
    if (stillTyping) idle = setTimeout(() => typed(false), TYPING_IDLE_MS);
    if (stillTyping === isTyping) return;
    isTyping = stillTyping;
    handlers.onTyping(stillTyping);
  }
  input.addEventListener('input', () => typed(input.value.trim() !== ''));

  async function submit(): Promise<void> {
    const text = input.value.trim();
    if (!text || send.disabled) return;
    typed(false);
    send.disabled = true;
    try {
      if (await handlers.onSend(text)) input.value = '';
    } finally {
      send.disabled = false;
      input.focus();
    }
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void submit();
  });
  // Enter sends, Shift+Enter starts a new line (as in most chat boxes).
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void submit();
    }
  });

  return {
    setTitle(text) {
      title.textContent = text;
    },
    showMessages(messages) {
      log.replaceChildren(
        ...(messages.length === 0
          ? [element('p', { class: 'empty' }, 'Ask us anything, we usually answer within minutes.')]
          : messages.map(renderMessage)),
      );
      // The newest message is what the visitor is waiting for.
      log.scrollTop = log.scrollHeight;
    },
    setStatus(text) {
      status.textContent = text;
    },
    setAgentTyping(on) {
      typing.textContent = on ? 'An agent is typing…' : '';
    },
    get isOpen() {
      return isOpen;
    },
  };
}

function renderMessage(message: Message): HTMLDivElement {
  const kind = message.message_type === '0' ? 'visitor' : message.message_type === '2' ? 'activity' : 'agent';
  const item = element('div', { class: `message ${kind}`, 'data-message-id': message.id });
  if (kind === 'agent' && message.sender?.name) {
    item.append(element('span', { class: 'sender' }, message.sender.name));
  }
  item.append(document.createTextNode(message.content ?? ''));
  return item;
}
