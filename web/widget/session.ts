import type { Visitor } from './api.js';

/**
 * The visitor's identity on this website, in the page's own localStorage (no cookie: the widget
 * works on any origin without third-party cookies). A reload finds the same visitor and
 * conversation; another browser or a cleared storage is a new visitor.
 */
export interface Session {
  visitor: Visitor;
  conversationId?: number;
}

export interface SessionStore {
  load(): Session | null;
  save(session: Session): void;
  clear(): void;
}

export function createSessionStore(origin: string, inboxIdentifier: string): SessionStore {
  const key = `parley-widget:${origin}:${inboxIdentifier}`;
  return {
    load() {
      try {
        const raw = localStorage.getItem(key);
        if (!raw) return null;
        const parsed = JSON.parse(raw) as Partial<Session>;
        return typeof parsed.visitor?.source_id === 'string' ? (parsed as Session) : null;
      } catch {
        // Storage blocked (privacy settings) or corrupt: start as a new visitor.
        return null;
      }
    },
    save(session) {
      try {
        localStorage.setItem(key, JSON.stringify(session));
      } catch {
        // Without storage the conversation lasts as long as the page: still usable.
      }
    },
    clear() {
      try {
        localStorage.removeItem(key);
      } catch {
        // Nothing stored, nothing to clear.
      }
    },
  };
}
