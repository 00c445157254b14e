import { desc, eq } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import type { TestApp } from '../../testing/app.js';
import { calls, type CallRow } from '../../core/calls/calls.tables.js';
import { waitFor } from '../../testing/wait.js';

type Inject = (options: import('fastify').InjectOptions) => Promise<LightMyRequestResponse>;

/** Helpers shared by the Modjo face's tests. */
export function modjoHeaders(key: string): Record<string, string> {
  return { 'x-api-key': key };
}

export async function createModjoUser(
  inject: Inject,
  key: string,
  email: string,
  extra: Record<string, unknown> = {},
) {
  const response = await inject({
    method: 'POST',
    url: '/modjo/v1/users/bulk',
    headers: modjoHeaders(key),
    payload: { users: [{ email, firstName: 'Ada', lastName: 'Lovelace', ...extra }] },
  });
  if (response.statusCode !== 201) throw new Error(`bulk users: ${response.statusCode} ${response.body}`);
  return response.json<{ id: number; email: string }[]>()[0] as { id: number; email: string };
}

export function uploadBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    contacts: ['customer@example.com'],
    users: ['agent@example.com'],
    date: '2026-05-04T10:00:00.000Z',
    fileExtension: 'wav',
    tags: null,
    name: 'Discovery call',
    ...overrides,
  };
}

/** PUTs to a signed URL Parley handed out, through the app (its public URL is not listening). */
export function putSigned(inject: Inject, signedUrl: string, body: Buffer, contentType = 'audio/wav') {
  const url = new URL(signedUrl);
  return inject({
    method: 'PUT',
    url: `${url.pathname}${url.search}`,
    headers: { 'content-type': contentType },
    payload: body,
  });
}

export async function latestCall(app: TestApp, accountId: number): Promise<CallRow> {
  const [row] = await app.parley.ctx.db
    .select()
    .from(calls)
    .where(eq(calls.accountId, accountId))
    .orderBy(desc(calls.id))
    .limit(1);
  if (!row) throw new Error('no call');
  return row;
}

export function callIdOfUploadUrl(signedUrl: string): number {
  const match = /\/calls\/\d+\/(\d+)\/recording\./.exec(new URL(signedUrl).pathname);
  if (!match) throw new Error(`not a call upload URL: ${signedUrl}`);
  return Number(match[1]);
}

/** Waits until the call reaches a settled state (summarized or failed) and returns it. */
export async function waitForSettled(
  app: TestApp,
  accountId: number,
  callId: number,
  timeoutMs = 60_000,
): Promise<CallRow> {
  return waitFor(
    async () => {
      const [row] = await app.parley.ctx.db.select().from(calls).where(eq(calls.id, callId));
      return row && (row.state === 'summarized' || row.state === 'failed') && row.accountId === accountId
        ? row
        : undefined;
    },
    { timeoutMs, intervalMs: 100, what: `call ${callId} to settle` },
  );
}
