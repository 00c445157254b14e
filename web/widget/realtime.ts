/** What the server's widget socket sends (see widget-realtime.routes.ts): signals, not data. */
export interface Signal {
  type: string;
  conversation_id?: number;
}

export interface RealtimeOptions {
  url: string;
  /** A conversation changed: read it again. */
  onSignal(signal: Signal): void;
  /** (Re)connected, or polling: whatever happened meanwhile must be read again. */
  onResync(): void;
}

const MAX_BACKOFF_MS = 30_000;
/** After this many failures without ever connecting, the network blocks WebSockets: poll instead. */
const FAILURES_BEFORE_POLLING = 3;
const POLL_INTERVAL_MS = 5_000;

/**
 * Keeps a WebSocket open while the panel needs it, reconnecting with backoff. Polling is the
 * fallback only where a socket never opens (a proxy that refuses upgrades). Returns `stop`.
 */
export function connectRealtime(options: RealtimeOptions): () => void {
  let socket: WebSocket | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let everOpened = false;
  let stopped = false;

  function poll(): void {
    if (stopped) return;
    options.onResync();
    timer = setTimeout(poll, POLL_INTERVAL_MS);
  }

  function open(): void {
    if (stopped) return;
    if (typeof WebSocket === 'undefined') {
      poll();
      return;
    }
    socket = new WebSocket(options.url);
    socket.onmessage = (event: MessageEvent<string>) => {
      let signal: Signal;
      try {
        signal = JSON.parse(event.data) as Signal;
      } catch {
        return;
      }
      if (signal.type === 'connection.ready') {
        everOpened = true;
        failures = 0;
        options.onResync();
      } else {
        options.onSignal(signal);
      }
    };
    socket.onclose = () => {
      socket = null;
      if (stopped) return;
      failures += 1;
      if (!everOpened && failures >= FAILURES_BEFORE_POLLING) {
        poll();
        return;
      }
      const backoff = Math.min(MAX_BACKOFF_MS, 500 * 2 ** failures) * (0.5 + Math.random() / 2);
      timer = setTimeout(open, backoff);
    };
  }

  open();
  return () => {
    stopped = true;
    clearTimeout(timer);
    socket?.close(1000);
  };
}
