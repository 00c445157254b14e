import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type ReceiverBehaviour = (
  request: ReceivedRequest,
) => { status: number; headers?: Record<string, string>; body?: string } | 'hang';

/** A real HTTP server on loopback that records what webhooks it receives. */
export async function startWebhookReceiver(
  behaviour: ReceiverBehaviour = () => ({ status: 200, body: 'ok' }),
) {
  const received: ReceivedRequest[] = [];
  let current = behaviour;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const entry = {
        path: request.url ?? '/',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(entry);
      const answer = current(entry);
      if (answer === 'hang') return;
      response.writeHead(answer.status, answer.headers);
      response.end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    received,
    url: (path = '/hook') => `http://127.0.0.1:${port}${path}`,
    setBehaviour(next: ReceiverBehaviour) {
      current = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
