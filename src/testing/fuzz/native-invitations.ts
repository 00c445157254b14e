import type { TestApp } from '../app.js';
import { bearer, seedUser, setUp, type Tenants } from './seed-helpers.js';
import type { CorpusEntry, FuzzRequest, HttpMethod } from './types.js';

interface Invitation {
  id: number;
  token: string;
}

/**
 * Invitations in every state a request needs: one to a user of the other account (accepted with
 * their token), one they decline, one to a new email (accepted with its token), one to revoke,
 * and a member who leaves.
 */
export async function seedInvitations(app: TestApp, t: Tenants) {
  const base = `/api/v1/accounts/${t.home.accountId}/invitations`;
  const invite = (email: string) =>
    setUp<Invitation>(app, {
      method: 'POST',
      url: base,
      headers: bearer(t.home.apiKey),
      payload: { email, role: 'agent' },
    });
  const decliner = await seedUser(app, {
    accountId: t.other.accountId,
    role: 'agent',
    email: 'decliner@fuzz.test',
  });
  const leaver = await seedUser(app, {
    accountId: t.home.accountId,
    role: 'agent',
    email: 'leaver@fuzz.test',
  });
  return {
    forOutsider: await invite('out@fuzz.test'),
    forDecliner: await invite('decliner@fuzz.test'),
    forNewcomer: await invite('newcomer@fuzz.test'),
    toRevoke: await invite('revoked@fuzz.test'),
    decliner,
    leaver,
  };
}

export function invitationEntries(
  t: Tenants,
  invitations: Awaited<ReturnType<typeof seedInvitations>>,
): CorpusEntry[] {
  const acc = '/api/v1/accounts/:accountId';
  const base = `/api/v1/accounts/${t.home.accountId}`;
  const entry = (
    method: HttpMethod,
    route: string,
    url: string,
    token: string | undefined,
    body?: unknown,
    isDestructive = false,
  ): CorpusEntry => {
    const request: FuzzRequest = {
      method,
      url,
      headers: token === undefined ? {} : bearer(token),
      ...(body !== undefined && { body }),
    };
    return { route, request, isDestructive };
  };
  const { forOutsider, forDecliner, forNewcomer, toRevoke } = invitations;
  return [
    entry('POST', `${acc}/invitations`, `${base}/invitations`, t.home.apiKey, {
      email: 'invitee@fuzz.test',
      role: 'administrator',
      name: 'Invitee',
    }),
    entry('GET', `${acc}/invitations`, `${base}/invitations?status=pending&limit=10`, t.admin.token),
    entry('GET', `${acc}/invitations/:invitationId`, `${base}/invitations/${forOutsider.id}`, t.home.apiKey),
    entry(
      'DELETE',
      `${acc}/invitations/:invitationId`,
      `${base}/invitations/${toRevoke.id}`,
      t.home.apiKey,
      undefined,
      true,
    ),
    entry('GET', '/api/v1/invitations', '/api/v1/invitations', t.outsider.token),
    entry(
      'POST',
      '/api/v1/invitations/:invitationId/accept',
      `/api/v1/invitations/${forOutsider.id}/accept`,
      t.outsider.token,
      undefined,
      true,
    ),
    entry(
      'POST',
      '/api/v1/invitations/:invitationId/decline',
      `/api/v1/invitations/${forDecliner.id}/decline`,
      invitations.decliner.token,
      undefined,
      true,
    ),
    entry(
      'POST',
      '/api/v1/invitations/accept',
      '/api/v1/invitations/accept',
      undefined,
      { token: forNewcomer.token, name: 'Newcomer', password: 'long-enough-password' },
      true,
    ),
    entry('POST', `${acc}/leave`, `${base}/leave`, invitations.leaver.token, undefined, true),
  ];
}
