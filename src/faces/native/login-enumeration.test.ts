import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  bearer,
  createTestApp,
  injector,
  seedAccount,
  TEST_PLATFORM_TOKEN,
  type TestApp,
} from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { createUser } from '../../core/identity/users.js';

// A pass-through spy on the password check: timing is too noisy to assert, but whether the slow
// hash runs for every kind of failed login is what makes the timings alike.
const verified = vi.hoisted(() => ({ hashes: [] as string[] }));
vi.mock('../../platform/auth/passwords.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../platform/auth/passwords.js')>();
  return {
    ...original,
    verifyPassword: (password: string, stored: string) => {
      verified.hashes.push(stored);
      return original.verifyPassword(password, stored);
    },
  };
});

/** The error body without the request id, which differs on every request. */
function errorOf(body: string): unknown {
  const { error } = JSON.parse(body) as { error: Record<string, unknown> };
  const { requestId: _requestId, ...rest } = error;
  return rest;
}

describe(`login does not tell which emails have a user (${backendName})`, () => {
  let app: TestApp;
  let inject: ReturnType<typeof injector>;
  const login = (email: string, password: string) =>
    inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });

  beforeAll(async () => {
    app = await createTestApp({ PARLEY_AUTH_RATE_LIMIT_MAX: 100, PARLEY_FAILED_AUTH_RATE_LIMIT_MAX: 100 });
    inject = injector(app);
    const account = await seedAccount(app, 'Acme');
    const added = await inject({
      method: 'POST',
      url: `/api/v1/accounts/${account.accountId}/members`,
      headers: bearer(TEST_PLATFORM_TOKEN),
      payload: { email: 'known@acme.test', name: 'Known', password: 'secret-password', role: 'agent' },
    });
    expect(added.statusCode, added.body).toBe(201);
    await createUser(app.parley.ctx.db, { name: 'No Password', email: 'nopassword@acme.test' });
  });
  afterAll(async () => {
    await app.close();
  });
  beforeEach(() => {
    verified.hashes = [];
  });

  it('answers an unknown email, a wrong password and a user without a password with the same 401', async () => {
    const unknown = await login('nobody@acme.test', 'secret-password');
    const wrong = await login('known@acme.test', 'wrong-password');
    const passwordless = await login('nopassword@acme.test', 'secret-password');

    expect([unknown.statusCode, wrong.statusCode, passwordless.statusCode]).toEqual([401, 401, 401]);
    expect(errorOf(unknown.body)).toEqual(errorOf(wrong.body));
    expect(errorOf(passwordless.body)).toEqual(errorOf(wrong.body));
    expect(unknown.headers['content-type']).toBe(wrong.headers['content-type']);
  });

  it('runs the scrypt check for an unknown email and a passwordless user, as for a wrong password', async () => {
    await login('nobody@acme.test', 'secret-password');
    await login('nopassword@acme.test', 'secret-password');
    await login('known@acme.test', 'wrong-password');

    expect(verified.hashes).toHaveLength(3);
    // Every check is against a full-cost scrypt hash with the parameters real passwords use.
    const parameters = verified.hashes.map((hash) => hash.split('$').slice(0, 4).join('$'));
    expect(new Set(parameters).size).toBe(1);
    expect(parameters[0]).toMatch(/^scrypt\$\d+\$\d+\$\d+$/);
  });

  it('still logs in with the right password', async () => {
    const response = await login('known@acme.test', 'secret-password');

    expect(response.statusCode, response.body).toBe(200);
    expect(verified.hashes).toHaveLength(1);
  });
});
