import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createOutboundClient, type OutboundOptions } from './guarded-fetch.js';
import { closedPort, startServer, type TestServer } from '../../testing/http-servers.js';

const defaults: OutboundOptions = {
  allowlist: [],
  timeoutMs: 2_000,
  maxResponseBytes: 1024,
  maxRedirects: 5,
};

let server: TestServer;

beforeAll(async () => {
  server = await startServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      response.setHeader('X-Echo-Method', request.method ?? '');
      response.setHeader('X-Echo-Agent', request.headers['user-agent'] ?? '');
      response.end(`hello ${body}`);
    });
  });
});

afterAll(async () => {
  await server.close();
});

describe('outbound client address checks', () => {
  it.each([
    ['a loopback IP literal', () => server.url('/')],
    ['localhost, which resolves to loopback', () => server.url('/', 'localhost')],
    ['an IPv4-mapped IPv6 loopback literal', () => server.url('/', '[::ffff:127.0.0.1]')],
    ['the cloud metadata address', () => 'http://169.254.169.254/latest/meta-data/'],
    ['a private network address', () => 'http://10.0.0.1/'],
    ['a decimal-encoded loopback address', () => `http://2130706433:${server.port}/`],
  ])('refuses %s by default', async (_label, target) => {
    const client = createOutboundClient(defaults);

    const sending = client.send({ method: 'GET', url: target() });

    await expect(sending).rejects.toMatchObject({ name: 'OutboundError', code: 'blocked_address' });
    await client.close();
  });

  it('reaches a loopback server when its CIDR is allowlisted', async () => {
    const client = createOutboundClient({ ...defaults, allowlist: ['127.0.0.1/32'] });

    const response = await client.send({ method: 'GET', url: server.url('/ping?x=1') });

    expect(response).toMatchObject({ status: 200, truncated: false, redirects: 0 });
    expect(response.body.toString()).toBe('hello ');
    expect(response.finalUrl).toBe(server.url('/ping?x=1'));
    await client.close();
  });

  it('reaches localhost when the hostname is allowlisted', async () => {
    const client = createOutboundClient({ ...defaults, allowlist: ['LocalHost'] });

    const response = await client.send({ method: 'GET', url: server.url('/', 'localhost') });

    expect(response.status).toBe(200);
    await client.close();
  });

  it('sends the method, body and user agent and lower-cases response header names', async () => {
    const client = createOutboundClient({ ...defaults, allowlist: ['127.0.0.1'], userAgent: 'Parley/1' });

    const response = await client.send({ method: 'post', url: server.url('/'), body: 'world' });

    expect(response.body.toString()).toBe('hello world');
    expect(response.headers['x-echo-method']).toBe('POST');
    expect(response.headers['x-echo-agent']).toBe('Parley/1');
    expect(response.latencyMs).toBeGreaterThanOrEqual(0);
    await client.close();
  });

  it('reports connect_failed when nothing listens on the port', async () => {
    const client = createOutboundClient({ ...defaults, allowlist: ['127.0.0.1/32'] });
    const port = await closedPort();

    const sending = client.send({ method: 'GET', url: `http://127.0.0.1:${port}/` });

    await expect(sending).rejects.toMatchObject({ code: 'connect_failed' });
    await client.close();
  });
});

describe('outbound client URL checks', () => {
  it.each(['ftp://127.0.0.1/file', 'file:///etc/passwd', 'javascript:alert(1)', 'not a url', '/relative'])(
    'refuses %s as invalid_url',
    async (url) => {
      const client = createOutboundClient({ ...defaults, allowlist: ['127.0.0.1/32'] });

      const sending = client.send({ method: 'GET', url });

      await expect(sending).rejects.toMatchObject({ code: 'invalid_url' });
      await client.close();
    },
  );
});
