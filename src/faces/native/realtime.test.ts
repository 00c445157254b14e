import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { AddressInfo } from 'node:net';
import { bearer, createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { waitFor } from '../../testing/wait.js';

describe(`real-time WebSocket (${backendName})`, () => {
  let app: TestApp;
  let base: string;
  let acme: { accountId: number; apiKey: string };
  let globex: { accountId: number; apiKey: string };

  beforeAll(async () => {
    app = await createTestApp();
    acme = await seedAccount(app, 'Acme');
    globex = await seedAccount(app, 'Globex');
    await app.parley.startBackground();
    await app.parley.server.listen({ port: 0, host: '127.0.0.1' });
    base = `ws://127.0.0.1:${(app.parley.server.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app.close();
  });

  function connect(
    accountId: number,
    token: string,
  ): Promise<{
    socket: WebSocket;
    messages: { type: string; accountId: number; payload?: Record<string, unknown> }[];
  }> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(
        `${base}/api/v1/accounts/${accountId}/realtime?access_token=${encodeURIComponent(token)}`,
      );
      const messages: { type: string; accountId: number }[] = [];
      socket.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString('utf8'))));
      socket.on('open', () => resolve({ socket, messages }));
      socket.on('unexpected-response', (_request, response) =>
        reject(new Error(`upgrade refused: ${response.statusCode}`)),
      );
      socket.on('error', reject);
    });
  }

  it("pushes the account's events to a connected agent and not another account's", async () => {
    const acmeClient = await connect(acme.accountId, acme.apiKey);
    const globexClient = await connect(globex.accountId, globex.apiKey);
    await waitFor(() => acmeClient.messages.some((message) => message.type === 'connection.ready'));

    await injector(app)({
      method: 'PATCH',
      url: `/api/v1/accounts/${acme.accountId}`,
      headers: bearer(acme.apiKey),
      payload: { name: 'Acme Live' },
    });
    const pushed = await waitFor(
      () => acmeClient.messages.find((message) => message.type === 'account.updated'),
      { what: 'pushed event' },
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    acmeClient.socket.close();
    globexClient.socket.close();

    expect(pushed.payload).toMatchObject({ id: acme.accountId, name: 'Acme Live' });
    // Globex may still see its own seeding events; nothing of Acme's may reach it.
    expect(globexClient.messages.every((message) => message.accountId === globex.accountId)).toBe(true);
    expect(globexClient.messages.some((message) => message.type === 'account.updated')).toBe(false);
    expect(acmeClient.messages.every((message) => message.accountId === acme.accountId)).toBe(true);
  });

  it("refuses the upgrade with 401 without a token and 404 for another account's stream", async () => {
    await expect(connect(acme.accountId, 'pk_wrong')).rejects.toThrow('upgrade refused: 401');
    await expect(connect(globex.accountId, acme.apiKey)).rejects.toThrow('upgrade refused: 404');
  });
});
