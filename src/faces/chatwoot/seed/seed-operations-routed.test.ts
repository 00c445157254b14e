import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../testing/app.js';
import derived from './chatwoot-responses.json' with { type: 'json' };

let app: TestApp;

beforeAll(async () => {
  app = await createTestApp();
});

afterAll(async () => {
  await app.close();
});

/** The face's promise is the seed's whole list: an operation the seed names must never fall to the 404 handler. */
describe('Chatwoot face: every seed operation has a route', () => {
  it('routes all of the seed operations under /chatwoot', () => {
    const unrouted = derived.operations
      .map((operation) => ({
        method: operation.method as 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
        url: `/chatwoot${operation.path.replace(/\{([^}/]+)\}/g, ':$1')}`,
      }))
      .filter((route) => !app.parley.server.hasRoute(route))
      .map((route) => `${route.method} ${route.url}`);

    expect(derived.operations).toHaveLength(154);
    expect(unrouted).toEqual([]);
  });
});
