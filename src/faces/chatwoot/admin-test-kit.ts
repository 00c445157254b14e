import { createAccessToken } from '../../core/identity/access-tokens.js';
import { addMember } from '../../core/identity/members.js';
import { createUser } from '../../core/identity/users.js';
import type { Role } from '../../core/identity/identity.tables.js';
import { injector, type TestApp } from '../../testing/app.js';

/** Helpers for the Chatwoot administration tests: users with tokens, and a Chatwoot-style caller. */
export async function seedUser(
  app: TestApp,
  input: { accountId: number; role: Role; email: string; name?: string },
): Promise<{ userId: number; token: string }> {
  const db = app.testDb.database.db;
  const user = await createUser(db, {
    name: input.name ?? input.email.split('@')[0] ?? 'user',
    email: input.email,
  });
  await addMember(db, { accountId: input.accountId, userId: user.id, role: input.role }, { type: 'system' });
  const { token } = await createAccessToken(db, { userId: user.id, name: 'test' });
  return { userId: user.id, token };
}

/** `inject` with the `api_access_token` header Chatwoot clients send. */
export function chatwootCaller(app: TestApp) {
  const inject = injector(app);
  return (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    token: string | undefined,
    payload?: Record<string, unknown>,
  ) =>
    inject({
      method,
      url: `/chatwoot${url}`,
      headers: token === undefined ? {} : { api_access_token: token },
      ...(payload !== undefined && { payload }),
    });
}
