import { expect } from 'vitest';
import { bearer, injector, TEST_PLATFORM_TOKEN, type TestApp } from '../../testing/app.js';

/** A person Dixa's example would create, with a unique email. */
export function dixaPerson(email: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    email,
    displayName: 'Alice Brown',
    firstName: 'Alice',
    lastName: 'Brown',
    middleNames: ['Julia'],
    phoneNumber: '+551155256325',
    avatarUrl: 'http://avatar.example/alice.png',
    additionalEmails: ['alice@secondary.example'],
    additionalPhoneNumbers: ['+5566778899'],
    ...overrides,
  };
}

/**
 * Adds a user with a password to the account through the platform API and signs them in: a person
 * with their own token (a real-time connection, a second organization's member).
 */
export async function addSignedInMember(
  app: TestApp,
  accountId: number,
  person: { email: string; name: string; role?: 'agent' | 'administrator' },
): Promise<{ userId: number; token: string }> {
  const inject = injector(app);
  const password = 'correct horse battery staple';
  const added = await inject({
    method: 'POST',
    url: `/api/v1/accounts/${accountId}/members`,
    headers: bearer(TEST_PLATFORM_TOKEN),
    payload: { email: person.email, name: person.name, password, role: person.role ?? 'agent' },
  });
  expect(added.statusCode, added.body).toBe(201);
  const login = await inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: person.email, password },
  });
  expect(login.statusCode, login.body).toBe(200);
  return { userId: added.json<{ userId: number }>().userId, token: login.json<{ token: string }>().token };
}
