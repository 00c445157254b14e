import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaJobs } from '../../core/media/media.tables.js';
import { speechToolsAvailable, synthesizeSpeech } from '../../testing/speech.js';
import { startWebhookReceiver } from '../../testing/webhook-receiver.js';
import { waitFor } from '../../testing/wait.js';
import { createCallrTestApp, type CallrTestAccount } from './callr-test-kit.js';

const tools = speechToolsAvailable(['espeak-ng', 'ffmpeg']);
if (!tools.available) console.warn(`CALLR media import tests skipped: ${tools.reason}`);

interface Job {
  id: string;
  status: string;
  percent: string;
  done_at: string;
  error: Record<string, unknown>;
  result: Record<string, unknown>;
}

describe.skipIf(!tools.available)('CALLR asynchronous import (jobs.get)', { timeout: 120_000 }, () => {
  let kit: Awaited<ReturnType<typeof createCallrTestApp>>;
  let alice: CallrTestAccount;
  let bob: CallrTestAccount;
  let dir: string;
  let wavBase64: string;
  let wavSeconds: number;
  const receiver = startWebhookReceiver();

  beforeAll(async () => {
    kit = await createCallrTestApp({ PARLEY_OUTBOUND_ALLOWLIST: ['127.0.0.1/32'] });
    await kit.app.parley.startBackground();
    alice = await kit.account('alice');
    bob = await kit.account('bob');
    dir = await mkdtemp(join(tmpdir(), 'parley-import-test-'));
    const wav = await synthesizeSpeech('Please leave a message after the tone.', {
      outPath: join(dir, 'vm.wav'),
    });
    wavBase64 = (await readFile(wav)).toString('base64');
    wavSeconds = ((await stat(wav)).size - 44) / (22050 * 2);
  });
  afterAll(async () => {
    await (await receiver).close();
    await kit.app.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function waitDone(account: CallrTestAccount, jobId: string): Promise<Job> {
    return waitFor(
      async () => {
        const job = await account.result<Job>('jobs.get', [jobId]);
        return job.status === 'DONE' ? job : undefined;
      },
      { timeoutMs: 30_000, what: `job ${jobId}` },
    );
  }

  it('imports a file, tells the webhook, and the file becomes a media', async () => {
    const hooks = await receiver;
    const jobId = await alice.result<string>('media.import_file_from_base64_async', [
      wavBase64,
      { endpoint: hooks.url('/jobs') },
    ]);
    expect(jobId).toMatch(/^[0-9A-F]{16}$/);
    const pending = await alice.result<Job>('jobs.get', [jobId]);
    expect(pending).toMatchObject({ id: jobId, error: {} });
    expect(['PENDING', 'RUNNING', 'DONE']).toContain(pending.status);
    expect(await bob.error('jobs.get', [jobId])).toMatchObject({ code: -32004 });

    const done = await waitDone(alice, jobId);
    expect(done).toEqual({
      id: jobId,
      status: 'DONE',
      percent: '100.00',
      done_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
      error: {},
      result: {
        filename: expect.stringMatching(/^import-[0-9a-f]{24}\.wav$/),
        size: Buffer.from(wavBase64, 'base64').length,
        mime_type: 'audio/wav',
        duration: Math.round(wavSeconds),
      },
    });
    const delivered = await waitFor(() => hooks.received.find((request) => request.path === '/jobs'), {
      timeoutMs: 15_000,
      what: 'the job webhook',
    });
    expect(JSON.parse(delivered.body)).toEqual(done);

    const filename = String(done.result.filename);
    const id = await alice.result<number>('media/library.create', ['Imported']);
    expect(
      await bob.error('media/library.set_content_from_file', [
        await bob.result<number>('media/library.create', ['x']),
        filename,
      ]),
    ).toMatchObject({ code: -32004 });
    expect(await alice.result('media/library.set_content_from_file', [id, filename])).toBe(true);
    expect(await alice.result('media/library.get', [id])).toMatchObject({
      status: 'READY',
      duration: Math.round(wavSeconds),
    });
    expect(await alice.error('media/library.set_content_from_file', [id, 'import-nope.wav'])).toMatchObject({
      code: -32004,
    });
  });

  it('imports a CSV address book, which is not audio', async () => {
    const csv = Buffer.from('name,phone\nAda,+33612345678\n').toString('base64');
    const jobId = await alice.result<string>('media.import_file_from_base64_async', [csv, null]);
    const done = await waitDone(alice, jobId);
    expect(done.result).toMatchObject({ mime_type: 'text/csv', duration: 0 });
    const id = await alice.result<number>('media/library.create', ['Not audio']);
    const refused = await alice.error('media/library.set_content_from_file', [id, done.result.filename]);
    expect(refused).toMatchObject({ code: -32602, message: expect.stringMatching(/tmp_filename/) });
  });

  it('ends with an error when a file that claims to be audio cannot be decoded', async () => {
    const wav = Buffer.from(wavBase64, 'base64');
    const cut = wav.subarray(0, 200).toString('base64');
    const jobId = await alice.result<string>('media.import_file_from_base64_async', [cut, null]);
    const done = await waitDone(alice, jobId);
    expect(done).toMatchObject({
      status: 'DONE',
      result: {},
      error: { code: 'INVALID_AUDIO', message: expect.any(String) },
    });
    // A failed import's file is removed at once, not kept for a day.
    const stored = async () =>
      (await kit.app.parley.ctx.db.select().from(mediaJobs).where(eq(mediaJobs.publicId, jobId)))[0];
    const staged = (await stored())?.blobKey;
    await waitFor(async () => (await stored())?.blobKey === null, { what: 'the failed import clean-up' });
    if (staged) expect(await kit.app.parley.ctx.storage.stat(staged)).toBeNull();
  });

  it('retries the webhook until the endpoint accepts it', async () => {
    const hooks = await receiver;
    let calls = 0;
    hooks.setBehaviour((request) => {
      if (request.path !== '/flaky') return { status: 200 };
      calls += 1;
      return { status: calls === 1 ? 503 : 200 };
    });
    const csv = Buffer.from('number\n+33612345678\n').toString('base64');
    const jobId = await alice.result<string>('media.import_file_from_base64_async', [
      csv,
      hooks.url('/flaky'),
    ]);
    await waitFor(() => calls >= 2, { timeoutMs: 20_000, what: 'the retried webhook' });
    const bodies = hooks.received
      .filter((request) => request.path === '/flaky')
      .map((r) => JSON.parse(r.body));
    expect(bodies.map((body) => [body.id, body.status])).toEqual([
      [jobId, 'DONE'],
      [jobId, 'DONE'],
    ]);
  });

  it('forgets an imported file once it expired', async () => {
    const csv = Buffer.from('a,b\n1,2\n').toString('base64');
    const jobId = await alice.result<string>('media.import_file_from_base64_async', [csv, null]);
    const done = await waitDone(alice, jobId);
    await kit.app.parley.ctx.db
      .update(mediaJobs)
      .set({ fileExpiresAt: new Date(Date.now() - 1000) })
      .where(eq(mediaJobs.publicId, jobId));
    const id = await alice.result<number>('media/library.create', ['late']);
    expect(
      await alice.error('media/library.set_content_from_file', [id, done.result.filename]),
    ).toMatchObject({
      code: -32004,
    });
  });

  it('refuses what is not base64 and a webhook that is not http(s)', async () => {
    expect(await alice.error('media.import_file_from_base64_async', ['%%%', null])).toMatchObject({
      code: -32602,
      message: expect.stringMatching(/base64/),
    });
    expect(
      await alice.error('media.import_file_from_base64_async', [wavBase64, 'ftp://example.com/x']),
    ).toMatchObject({ code: -32602, message: expect.stringMatching(/webhook_url/) });
    expect(await alice.error('jobs.get', ['0123456789ABCDEF'])).toMatchObject({ code: -32004 });
  });
});
