import { useSyncExternalStore } from 'react';

interface Typist {
  type: string;
  id: number;
  name: string;
}

// A typing_off can be lost (a closed tab): an indicator expires on its own after this long.
const EXPIRE_MS = 8_000;

function createTypingStore() {
  const typing = new Map<number, Map<string, { typist: Typist; timer: number }>>();
  const snapshots = new Map<number, Typist[]>();
  const listeners = new Set<() => void>();
  const empty: Typist[] = [];

  function changed(conversationId: number): void {
    snapshots.set(
      conversationId,
      [...(typing.get(conversationId)?.values() ?? [])].map((entry) => entry.typist),
    );
    for (const listener of listeners) listener();
  }

  function remove(conversationId: number, key: string): void {
    const entries = typing.get(conversationId);
    const entry = entries?.get(key);
    if (!entries || !entry) return;
    window.clearTimeout(entry.timer);
    entries.delete(key);
    changed(conversationId);
  }

  return {
    set(conversationId: number, typist: Typist, isTyping: boolean): void {
      const key = `${typist.type}:${String(typist.id)}`;
      remove(conversationId, key);
      if (!isTyping) return;
      const entries = typing.get(conversationId) ?? new Map<string, { typist: Typist; timer: number }>();
      typing.set(conversationId, entries);
      entries.set(key, { typist, timer: window.setTimeout(() => remove(conversationId, key), EXPIRE_MS) });
      changed(conversationId);
    },
    clear(conversationId: number): void {
      for (const key of [...(typing.get(conversationId)?.keys() ?? [])]) remove(conversationId, key);
    },
    subscribe: (listener: () => void): (() => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get: (conversationId: number): Typist[] => snapshots.get(conversationId) ?? empty,
  };
}

export const typingStore = createTypingStore();

export function useTypists(conversationId: number): Typist[] {
  return useSyncExternalStore(typingStore.subscribe, () => typingStore.get(conversationId));
}
