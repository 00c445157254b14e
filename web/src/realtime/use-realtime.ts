import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { meKey } from '../api/session';
import { createEventHandler, type RealtimeFrame } from './events';

export type RealtimeState = 'connecting' | 'live' | 'offline';

const MAX_BACKOFF_MS = 30_000;

function realtimeUrl(accountId: number): string {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${window.location.host}/api/v1/accounts/${String(accountId)}/realtime`;
}

/**
 * One WebSocket per open account (the session cookie authenticates it; the server checks Origin).
 * Reconnects with capped exponential backoff and resyncs on reconnect, since events sent while
 * disconnected are not replayed.
 */
export function useRealtime(accountId: number, selfUserId: number | null): RealtimeState {
  const queryClient = useQueryClient();
  const [state, setState] = useState<RealtimeState>('connecting');

  useEffect(() => {
    const handler = createEventHandler(queryClient, accountId, selfUserId);
    let socket: WebSocket | null = null;
    let retryTimer: number | undefined;
    let attempts = 0;
    let stopped = false;

    const connect = () => {
      setState('connecting');
      socket = new WebSocket(realtimeUrl(accountId));
      socket.addEventListener('message', (event: MessageEvent<string>) => {
        let frame: RealtimeFrame;
        try {
          frame = JSON.parse(event.data) as RealtimeFrame;
        } catch {
          return;
        }
        if (frame.type === 'connection.ready') {
          if (attempts > 0) handler.resync();
          attempts = 0;
          setState('live');
          return;
        }
        handler.handle(frame);
      });
      socket.addEventListener('close', (event) => {
        if (stopped) return;
        // 4401: the session's access ended; asking who we are sends a signed-out user to sign-in.
        if (event.code === 4401) void queryClient.invalidateQueries({ queryKey: meKey });
        setState('offline');
        attempts += 1;
        const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.min(attempts, 6));
        retryTimer = window.setTimeout(connect, delay * (0.5 + Math.random() / 2));
      });
    };
    connect();

    return () => {
      stopped = true;
      window.clearTimeout(retryTimer);
      handler.dispose();
      socket?.close(1000, 'leaving');
    };
  }, [accountId, selfUserId, queryClient]);

  return state;
}
