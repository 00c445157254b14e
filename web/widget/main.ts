import { ApiError, createApi, type Message } from './api.js';
import { connectRealtime, type Signal } from './realtime.js';
import { createSessionStore, type Session } from './session.js';
import { mountView } from './view.js';

declare global {
  interface Window {
    /** Chatwoot's embed snippet (the inbox's `web_widget_script`) calls this once the SDK loads. */
    chatwootSDK?: { run(options: { websiteToken: string; baseUrl: string }): void };
  }
}

/**
 * The chat widget. A website embeds it with the snippet from the inbox's settings:
 *
 *   <script src="https://parley.example/widget.js" data-inbox-token="INBOX_IDENTIFIER" async></script>
 *
 * The Parley origin is where the script came from; the visitor, once they open the chat, is a
 * contact of that inbox, remembered in this site's localStorage. Chatwoot's own snippet works too
 * (it loads this script as /chatwoot/packs/js/sdk.js and calls `chatwootSDK.run`).
 */
function boot(inbox: string, origin: string): void {
  const api = createApi(origin, inbox);
  const store = createSessionStore(origin, inbox);
  const messages = new Map<string, Message>();
  let session: Session | null = store.load();
  let starting: Promise<void> | null = null;

  const view = mountView({
    onOpen: () => {
      starting ??= start().catch((error: unknown) => {
        starting = null;
        report(error);
      });
    },
    onSend: send,
    onTyping: (isTyping) => {
      // Before the first message there is no conversation to type in yet.
      if (session?.conversationId === undefined) return;
      void api.typing(session.visitor, session.conversationId, isTyping).catch(() => undefined);
    },
  });
  // An agent's typing indicator goes away by itself if its "off" is lost.
  let agentTyping: ReturnType<typeof setTimeout> | undefined;
  function showAgentTyping(on: boolean): void {
    clearTimeout(agentTyping);
    view.setAgentTyping(on);
    if (on) agentTyping = setTimeout(() => view.setAgentTyping(false), 10_000);
  }
  void fetch(`${origin}/chatwoot/public/api/v1/inboxes/${encodeURIComponent(inbox)}`, { credentials: 'omit' })
    .then((response) => (response.ok ? (response.json() as Promise<{ name: string }>) : null))
    .then((details) => details && view.setTitle(details.name))
    .catch(() => undefined);

  function report(error: unknown): void {
    view.setStatus(
      error instanceof ApiError && error.status === 403
        ? 'Sorry, messages from this network are not accepted.'
        : 'The chat is unreachable right now. Please try again in a moment.',
    );
  }

  function show(): void {
    view.showMessages([...messages.values()].sort((a, b) => Number(a.id) - Number(b.id)));
  }

  /**
   * First open: the visitor is created (or found again), then their conversation is read and the
   * socket opened. The socket stays open while the page does: replies arrive with the panel closed.
   */
  async function start(canRetry = true): Promise<void> {
    const current = await ensureSession();
    let conversations: { id: number }[];
    try {
      conversations = await api.conversations(current.visitor);
    } catch (error) {
      // The stored visitor was deleted on the server: become a new one.
      if (!canRetry || !(error instanceof ApiError) || error.status !== 404) throw error;
      session = null;
      store.clear();
      return start(false);
    }
    if (!conversations.some((row) => row.id === current.conversationId)) {
      // None stored yet (or it is gone): continue the latest one, if any.
      const latest = conversations.reduce<number | undefined>(
        (max, row) => Math.max(max ?? 0, row.id),
        undefined,
      );
      remember({ visitor: current.visitor, ...(latest !== undefined && { conversationId: latest }) });
    }
    await refresh(false);
    connectRealtime({
      url: api.realtimeUrl(current.visitor),
      onSignal: (signal) => void onSignal(signal),
      onResync: () => void refresh(false).catch(report),
    });
    view.setStatus('');
  }

  async function ensureSession(): Promise<Session> {
    if (session) return session;
    const visitor = await api.createVisitor();
    return remember({ visitor });
  }

  function remember(next: Session): Session {
    session = next;
    store.save(next);
    return next;
  }

  /** Reads new messages (after the newest shown), or the latest page again when `full`. */
  async function refresh(full: boolean): Promise<void> {
    if (session?.conversationId === undefined) {
      show();
      return;
    }
    const newest = [...messages.keys()].reduce((max, id) => Math.max(max, Number(id)), 0);
    const after = full || newest === 0 ? undefined : String(newest);
    try {
      const page = await api.messages(session.visitor, session.conversationId, after);
      if (full) messages.clear();
      for (const message of page) messages.set(message.id, message);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 404) throw error;
      // The conversation was deleted: the next message starts a new one.
      remember({ visitor: session.visitor });
      messages.clear();
    }
    show();
  }

  async function onSignal(signal: Signal): Promise<void> {
    if (signal.conversation_id === undefined || !session) return;
    // An agent may start the conversation (an outbound message) before the visitor writes.
    if (session.conversationId === undefined)
      remember({ ...session, conversationId: signal.conversation_id });
    if (signal.conversation_id !== session.conversationId) return;
    if (signal.type === 'conversation.typing_on' || signal.type === 'conversation.typing_off') {
      showAgentTyping(signal.type === 'conversation.typing_on');
      return;
    }
    if (signal.type === 'message.created') showAgentTyping(false);
    await refresh(signal.type === 'message.updated').catch(report);
  }

  async function send(text: string): Promise<boolean> {
    try {
      if (starting) await starting;
      const current = await ensureSession();
      let conversationId = current.conversationId;
      if (conversationId === undefined) {
        conversationId = (await api.createConversation(current.visitor)).id;
        remember({ ...current, conversationId });
      }
      const echoId = `${String(Date.now())}-${Math.random().toString(36).slice(2)}`;
      const message = await api.send(current.visitor, conversationId, text, echoId);
      messages.set(message.id, message);
      show();
      view.setStatus('');
      return true;
    } catch (error) {
      report(error);
      return false;
    }
  }
}

let isBooted = false;

/** Once per page, once the body exists (a script in <head> without `async` runs before it does). */
function bootOnce(inbox: string, origin: string): void {
  const run = () => {
    if (isBooted) return;
    isBooted = true;
    boot(inbox, origin);
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', run, { once: true });
  else run();
}

const script = document.currentScript;
if (script instanceof HTMLScriptElement) {
  const origin = new URL(script.src, location.href).origin;
  const inbox = script.dataset.inboxToken;
  if (inbox) bootOnce(inbox, origin);
  else if (new URL(script.src, location.href).pathname === '/widget.js') {
    console.error('Parley widget: the script tag needs data-inbox-token="<inbox identifier>"');
  }
}
window.chatwootSDK = {
  run: ({ websiteToken, baseUrl }) => bootOnce(websiteToken, new URL(baseUrl, location.href).origin),
};
