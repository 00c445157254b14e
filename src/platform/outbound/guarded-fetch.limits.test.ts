import type { Readable } from 'node:stream';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createOutboundClient, type OutboundOptions } from './guarded-fetch.js';
import { endlessBody, startServer, type TestServer } from '../../testing/http-servers.js';

const options: OutboundOptions = {
  allowlist: ['127.0.0.1/32'],
  timeoutMs: 400,
  maxResponseBytes: 1000,
  maxRedirects: 3,
};

let server: TestServer;

beforeAll(async () => {
  server = await startServer((request, response) => {
    if (request.url === '/hang') return;
    if (request.url === '/endless') {
      endlessBody(request, response);
    } else if (request.url === '/stall-body') {
      response.writeHead(200).write('partial');
    } else if (request.url === '/declared-large') {
      response.writeHead(200, { 'content-length': '5000' }).end('x'.repeat(5000));
    } else {
      response.end('y'.repeat(1000));
    }
  });
});

afterAll(async () => {
  await server.close();
});

async function drain(body: Readable): Promise<number> {
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) size += chunk.length;
  return size;
}

describe('outbound client deadlines', () => {
  it('gives timeout within roughly the deadline when the server never answers', async () => {
    const client = createOutboundClient(options);
    const started = Date.now();

    const sending = client.send({ method: 'GET', url: server.url('/hang') });

    await expect(sending).rejects.toMatchObject({ code: 'timeout' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(options.timeoutMs - 50);
    expect(Date.now() - started).toBeLessThan(options.timeoutMs + 1_000);
    await client.close();
  });

  it('gives timeout when the body stalls past the deadline', async () => {
    const client = createOutboundClient(options);

    const sending = client.send({ method: 'GET', url: server.url('/stall-body') });

    await expect(sending).rejects.toMatchObject({ code: 'timeout' });
    await client.close();
  });

  it('reports aborted when the caller cancels', async () => {
    const client = createOutboundClient({ ...options, timeoutMs: 5_000 });
    const controller = new AbortController();
    setTimeout(() => {
      controller.abort();
    }, 50);

    const sending = client.send({ method: 'GET', url: server.url('/hang'), signal: controller.signal });

    await expect(sending).rejects.toMatchObject({ code: 'aborted' });
    await client.close();
  });

  it('fails a streamed body with timeout when the deadline passes mid-download', async () => {
    const client = createOutboundClient(options);
    const { body } = await client.stream({ method: 'GET', url: server.url('/stall-body') });

    const reading = drain(body);

    await expect(reading).rejects.toMatchObject({ code: 'timeout' });
    await client.close();
  });
});

describe('outbound client size limits', () => {
  it('truncates an endless body to maxResponseBytes for send', async () => {
    const client = createOutboundClient(options);

    const response = await client.send({ method: 'GET', url: server.url('/endless') });

    expect(response.truncated).toBe(true);
    expect(response.body.length).toBe(options.maxResponseBytes);
    await client.close();
  });

  it('does not mark a body that exactly fits as truncated', async () => {
    const client = createOutboundClient(options);

    const response = await client.send({ method: 'GET', url: server.url('/fits') });

    expect(response.truncated).toBe(false);
    expect(response.body.length).toBe(1000);
    await client.close();
  });

  it('errors a streamed body with too_large once more than maxBytes flowed', async () => {
    const client = createOutboundClient({ ...options, timeoutMs: 5_000 });
    const { body } = await client.stream({ method: 'GET', url: server.url('/endless'), maxBytes: 100_000 });

    const reading = drain(body);

    await expect(reading).rejects.toMatchObject({ code: 'too_large' });
    await client.close();
  });

  it('refuses a stream up front when content-length exceeds maxBytes', async () => {
    const client = createOutboundClient(options);

    const streaming = client.stream({ method: 'GET', url: server.url('/declared-large'), maxBytes: 4999 });

    await expect(streaming).rejects.toMatchObject({ code: 'too_large' });
    await client.close();
  });

  it('streams a body within the cap intact', async () => {
    const client = createOutboundClient(options);
    const { status, body } = await client.stream({
      method: 'GET',
      url: server.url('/declared-large'),
      maxBytes: 5000,
    });

    const size = await drain(body);

    expect(status).toBe(200);
    expect(size).toBe(5000);
    await client.close();
  });
});
