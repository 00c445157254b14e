import WebSocket from 'ws';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import type { Parley } from '../../app.js';
import { injector, type TestApp } from '../../testing/app.js';
import { waitFor } from '../../testing/wait.js';

export interface RealtimeFrame {
  type: string;
  accountId: number;
  payload?: Record<string, unknown>;
}

/** A real `ws` client on the account's real-time stream, recording what it receives and when it closes. */
export interface RealtimeClient {
  socket: WebSocket;
  messages: RealtimeFrame[];
  /** Settles when the server closes the socket, with the close code and the time it was seen. */
  closed: Promise<{ code: number; reason: string; at: number }>;
  isClosed(): boolean;
  /** Whether a `contact.created` for this email reached the client. */
  sawContact(email: string): boolean;
}

/** Starts listening on a free loopback port and returns the `ws://` base URL. */
export async function listenForSockets(parley: Parley): Promise<string> {
  await parley.server.listen({ port: 0, host: '127.0.0.1' });
  return `ws://127.0.0.1:${(parley.server.server.address() as AddressInfo).port}`;
}

/** Connects and resolves once the server said `connection.ready`, i.e. once the socket is admitted. */
export async function connectRealtime(
  base: string,
  accountId: number,
  token: string,
): Promise<RealtimeClient> {
  const socket = new WebSocket(
    `${base}/api/v1/accounts/${accountId}/realtime?access_token=${encodeURIComponent(token)}`,
  );
  const messages: RealtimeFrame[] = [];
  let isClosed = false;
  const closed = new Promise<{ code: number; reason: string; at: number }>((resolve) => {
    socket.on('close', (code, reason) => {
      isClosed = true;
      resolve({ code, reason: reason.toString('utf8'), at: Date.now() });
    });
  });
  socket.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString('utf8')) as RealtimeFrame));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_request, response) =>
      reject(new Error(`upgrade refused: ${response.statusCode ?? 0}`)),
    );
    socket.once('error', reject);
  });
  await waitFor(() => messages.some((message) => message.type === 'connection.ready'), {
    what: 'connection.ready',
  });
  return {
    socket,
    messages,
    closed,
    isClosed: () => isClosed,
    sawContact: (email) =>
      messages.some(
        (message) =>
          message.type === 'contact.created' &&
          (message.payload?.contact as { email?: unknown } | undefined)?.email === email,
      ),
  };
}

/** Resolves with the close, or fails if the socket is still open after `ms`. */
export async function closedWithin(
  client: RealtimeClient,
  ms: number,
): Promise<{ code: number; reason: string; at: number }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`socket still open ${ms} ms after the revocation`)), ms);
  });
  try {
    return await Promise.race([client.closed, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The sockets a test file opens, so its `afterAll` can cut them all at once. */
export function trackedSockets() {
  const opened: RealtimeClient[] = [];
  return {
    async connect(base: string, accountId: number, token: string): Promise<RealtimeClient> {
      const client = await connectRealtime(base, accountId, token);
      opened.push(client);
      return client;
    },
    terminateAll(): void {
      for (const client of opened.splice(0)) client.socket.terminate();
    },
  };
}

/** Creates a contact through the Chatwoot API and waits until `witness` has had it pushed. */
export async function pushContact(
  app: TestApp,
  account: { accountId: number; apiKey: string },
  witness: RealtimeClient,
): Promise<string> {
  const email = `contact-${randomUUID()}@example.test`;
  const response = await injector(app)({
    method: 'POST',
    url: `/chatwoot/api/v1/accounts/${account.accountId}/contacts`,
    headers: { api_access_token: account.apiKey },
    payload: { name: 'Someone', email },
  });
  expect(response.statusCode, response.body).toBeLessThan(300);
  await waitFor(() => witness.sawContact(email), { what: `contact ${email} on the live socket` });
  return email;
}

/** The socket closes within a second with the revocation's code and reason. */
export async function expectRevokedClose(client: RealtimeClient): Promise<void> {
  expect(await closedWithin(client, 1000)).toMatchObject({ code: 4401, reason: 'Access revoked' });
}
