import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { seedUser } from '../../faces/chatwoot/admin-test-kit.js';
import { callIdOfUploadUrl } from '../../faces/modjo/modjo-test-kit.js';
import { TEST_PLATFORM_TOKEN, bearer, seedAccount, type TestApp } from '../app.js';

export { seedUser };

/** Sends a set-up request and fails loudly unless it succeeded: a fuzz corpus on broken data proves nothing. */
export async function setUp<T>(app: TestApp, options: InjectOptions): Promise<T> {
  const response: LightMyRequestResponse = await app.parley.server.inject(options);
  if (response.statusCode >= 300) {
    throw new Error(
      `fuzz set-up ${options.method ?? 'GET'} ${typeof options.url === 'string' ? options.url : JSON.stringify(options.url)}: ${response.statusCode} ${response.body}`,
    );
  }
  return (response.body ? response.json() : undefined) as T;
}

/** Two tenants: the one the corpus targets, and another whose credentials must never reach it. */
export async function seedTenants(app: TestApp) {
  const home = await seedAccount(app, 'Fuzz home');
  const other = await seedAccount(app, 'Fuzz other');
  const admin = await seedUser(app, {
    accountId: home.accountId,
    role: 'administrator',
    email: 'admin@fuzz.test',
  });
  const agent = await seedUser(app, { accountId: home.accountId, role: 'agent', email: 'agent@fuzz.test' });
  const spare = await seedUser(app, { accountId: home.accountId, role: 'agent', email: 'spare@fuzz.test' });
  const outsider = await seedUser(app, {
    accountId: other.accountId,
    role: 'administrator',
    email: 'out@fuzz.test',
  });
  return { home, other, admin, agent, spare, outsider, platformToken: TEST_PLATFORM_TOKEN };
}
export type Tenants = Awaited<ReturnType<typeof seedTenants>>;

export { bearer, TEST_PLATFORM_TOKEN };

/** A valid, tiny PCM WAV file (8 kHz mono, 0.1 s of silence): real bytes for upload sniffing. */
export function tinyWav(): Buffer {
  const samples = 800;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + samples * 2, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(16000, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(samples * 2, 40);
  return Buffer.concat([header, Buffer.alloc(samples * 2)]);
}

/**
 * A Modjo call with its recording uploaded through the signed URL Parley handed out (the
 * processing job is queued, never run in the fuzz app).
 */
export async function seedModjoCall(app: TestApp, apiKey: string): Promise<number> {
  const { uploadTo } = await setUp<{ uploadTo: string }>(app, {
    method: 'POST',
    url: '/modjo/v1/calls',
    headers: { 'x-api-key': apiKey },
    payload: {
      contacts: ['customer@example.com'],
      users: ['admin@fuzz.test'],
      date: '2026-05-04T10:00:00.000Z',
      fileExtension: 'wav',
      tags: null,
      name: 'Fuzz call',
    },
  });
  const signed = new URL(uploadTo);
  await setUp(app, {
    method: 'PUT',
    url: `${signed.pathname}${signed.search}`,
    headers: { 'content-type': 'audio/wav' },
    payload: tinyWav(),
  });
  return callIdOfUploadUrl(uploadTo);
}
