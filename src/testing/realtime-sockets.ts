import WebSocket from 'ws';
import type { AddressInfo } from 'node:net';
import type { Parley } from '../app.js';
import { waitFor } from './wait.js';

/** Starts a node listening on a free loopback port and returns its `ws://` base URL. */
export async function listenOnLoopback(parley: Parley): Promise<string> {
  await parley.server.listen({ port: 0, host: '127.0.0.1' });
  return `ws://127.0.0.1:${(parley.server.server.address() as AddressInfo).port}`;
}

/**
 * The sockets a test opens on the account real-time stream (`/api/v1/accounts/:id/realtime`),
 * each resolved once admitted (`connection.ready`), so `afterAll` can cut them all at once.
 */
export function realtimeSockets() {
  const opened: WebSocket[] = [];
  return {
    async connect(base: string, accountId: number, token: string): Promise<WebSocket> {
      const socket = new WebSocket(
        `${base}/api/v1/accounts/${accountId}/realtime?access_token=${encodeURIComponent(token)}`,
      );
      opened.push(socket);
      let isReady = false;
      socket.on('message', (data: Buffer) => {
        if ((JSON.parse(data.toString('utf8')) as { type?: string }).type === 'connection.ready')
          isReady = true;
      });
      await new Promise<void>((resolve, reject) => {
        socket.once('open', () => resolve());
        socket.once('unexpected-response', (_request, response) =>
          reject(new Error(`upgrade refused: ${response.statusCode ?? 0}`)),
        );
        socket.once('error', reject);
      });
      await waitFor(() => isReady, { what: 'connection.ready' });
      return socket;
    },
    terminateAll(): void {
      for (const socket of opened.splice(0)) socket.terminate();
    },
  };
}
