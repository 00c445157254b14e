import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createOutboundClient, type OutboundOptions } from './guarded-fetch.js';
import { startServer, type TestServer } from '../../testing/http-servers.js';

const options: OutboundOptions = {
  allowlist: ['127.0.0.1/32', 'localhost'],
  timeoutMs: 2_000,
  maxResponseBytes: 4096,
  maxRedirects: 3,
};

let server: TestServer;

function redirect(response: ServerResponse, status: number, location: string): void {
  response.writeHead(status, { location }).end('moved');
}

// Routes: /to?status=&location= redirects once, /loop redirects forever, /chain/<n> counts down.
function route(request: IncomingMessage, response: ServerResponse): void {
  const url = new URL(request.url ?? '/', 'http://placeholder');
  const chain = /^\/chain\/(\d+)$/.exec(url.pathname);
  if (url.pathname === '/to') {
    redirect(response, Number(url.searchParams.get('status')), url.searchParams.get('location') ?? '/');
  } else if (url.pathname === '/loop') {
    redirect(response, 302, '/loop');
  } else if (chain) {
    const left = Number(chain[1]);
    if (left === 0) response.end('arrived');
    else
      redirect(response, 302, server.url(`/chain/${left - 1}`, left % 2 === 1 ? 'localhost' : '127.0.0.1'));
  } else {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      response.end(
        JSON.stringify({ method: request.method, body, auth: request.headers.authorization ?? null }),
      );
    });
  }
}

const to = (status: number, location: string): string =>
  server.url(`/to?status=${status}&location=${encodeURIComponent(location)}`);

beforeAll(async () => {
  server = await startServer(route);
});

afterAll(async () => {
  await server.close();
});

describe('outbound client redirects', () => {
  it('follows redirects between allowed hosts and counts them', async () => {
    const client = createOutboundClient(options);

    const response = await client.send({ method: 'GET', url: server.url('/chain/3') });

    expect(response.body.toString()).toBe('arrived');
    expect(response.redirects).toBe(3);
    expect(response.finalUrl).toBe(server.url('/chain/0', 'localhost'));
    await client.close();
  });

  it('refuses a redirect to a loopback address outside the allowlist', async () => {
    const client = createOutboundClient(options);

    const sending = client.send({ method: 'GET', url: to(302, `http://127.0.0.2:${server.port}/`) });

    await expect(sending).rejects.toMatchObject({ code: 'blocked_address' });
    await client.close();
  });

  it('refuses a redirect to the cloud metadata address', async () => {
    const client = createOutboundClient(options);

    const sending = client.send({ method: 'GET', url: to(307, 'http://169.254.169.254/latest/meta-data/') });

    await expect(sending).rejects.toMatchObject({ code: 'blocked_address' });
    await client.close();
  });

  it('refuses a redirect to a non-http scheme', async () => {
    const client = createOutboundClient(options);

    const sending = client.send({ method: 'GET', url: to(302, 'file:///etc/passwd') });

    await expect(sending).rejects.toMatchObject({ code: 'invalid_url' });
    await client.close();
  });

  it('gives up with too_many_redirects past maxRedirects', async () => {
    const client = createOutboundClient(options);

    const sending = client.send({ method: 'GET', url: server.url('/loop') });

    await expect(sending).rejects.toMatchObject({ code: 'too_many_redirects' });
    await client.close();
  });

  it('follows exactly maxRedirects redirects and refuses one more', async () => {
    const client = createOutboundClient({ ...options, maxRedirects: 2 });

    const withinLimit = await client.send({ method: 'GET', url: server.url('/chain/2') });
    const overLimit = client.send({ method: 'GET', url: server.url('/chain/3') });

    expect(withinLimit.redirects).toBe(2);
    await expect(overLimit).rejects.toMatchObject({ code: 'too_many_redirects' });
    await client.close();
  });

  it('returns the redirect response itself when maxRedirects is 0', async () => {
    const client = createOutboundClient({ ...options, maxRedirects: 0 });

    const response = await client.send({ method: 'GET', url: to(302, '/echo') });

    expect(response.status).toBe(302);
    expect(response.headers.location).toBe('/echo');
    expect(response.redirects).toBe(0);
    await client.close();
  });

  it.each([
    [303, 'POST', 'GET', ''],
    [302, 'POST', 'GET', ''],
    [307, 'POST', 'POST', 'payload'],
    [308, 'PUT', 'PUT', 'payload'],
  ])(
    'after a %i on %s re-sends as %s with body "%s"',
    async (status, method, expectedMethod, expectedBody) => {
      const client = createOutboundClient(options);

      const response = await client.send({ method, url: to(status, '/echo'), body: 'payload' });

      expect(JSON.parse(response.body.toString())).toMatchObject({
        method: expectedMethod,
        body: expectedBody,
      });
      await client.close();
    },
  );

  it('drops the authorization header when a redirect changes origin', async () => {
    const client = createOutboundClient(options);
    const headers = { Authorization: 'Bearer secret' };

    const sameOrigin = await client.send({ method: 'GET', url: to(302, '/echo'), headers });
    const crossOrigin = await client.send({
      method: 'GET',
      url: to(302, server.url('/echo', 'localhost')),
      headers,
    });

    expect(JSON.parse(sameOrigin.body.toString())).toMatchObject({ auth: 'Bearer secret' });
    expect(JSON.parse(crossOrigin.body.toString())).toMatchObject({ auth: null });
    await client.close();
  });
});
