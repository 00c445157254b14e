import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { seedAgent } from '../chatwoot/conversations.test-kit.js';
import {
  multipart,
  silentWav,
  type CallDetailDto,
  type CallPageDto,
  type ErrorDto,
} from './calls.test-kit.js';

/**
 * POST /calls: a recording uploaded through the native API becomes a call on the same pipeline
 * as Modjo's uploads. The background worker is not started here: the call stops at `downloaded`
 * (the pipeline itself is tested by the Modjo ingestion tests and the calls browser test).
 */
describe(`native calls API: upload (${backendName})`, () => {
  let app: TestApp;
  let acme: { accountId: number; apiKey: string };
  let ann: { userId: number; token: string; name: string };
  let bob: { userId: number; token: string; name: string };
  let stranger: { userId: number; token: string; name: string };

  const url = (path: string, account = acme.accountId) => `/api/v1/accounts/${account}${path}`;
  const list = async (token: string, query = '') => {
    const response = await injector(app)({
      method: 'GET',
      url: url(`/calls?${query}`),
      headers: bearer(token),
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<CallPageDto>();
  };
  const upload = (token: string, body: ReturnType<typeof multipart>, account = acme.accountId) =>
    injector(app)({
      method: 'POST',
      url: url('/calls', account),
      headers: { ...bearer(token), 'content-type': body.contentType },
      payload: body.payload,
    });

  beforeAll(async () => {
    app = await createTestApp();
    acme = await seedAccount(app, 'Acme');
    const globex = await seedAccount(app, 'Globex');
    ann = await seedAgent(app, acme.accountId, { name: 'Ann' });
    bob = await seedAgent(app, acme.accountId, { name: 'Bob' });
    stranger = await seedAgent(app, globex.accountId, { name: 'Stranger', role: 'administrator' });
  });

  afterAll(async () => {
    await app.close();
  });

  const wavFile = (data = silentWav()) => ({
    name: 'recording',
    fileName: 'meeting.wav',
    contentType: 'audio/wav',
    data,
  });

  it('creates the call for the caller, stores the recording and starts processing', async () => {
    const response = await upload(
      ann.token,
      multipart(
        { title: 'Demo with Globex', startedAt: '2026-03-20T08:30:00+01:00', direction: 'outbound' },
        [wavFile()],
      ),
    );
    expect(response.statusCode, response.body).toBe(201);
    const call = response.json<CallDetailDto>();
    expect(call).toMatchObject({
      title: 'Demo with Globex',
      startedAt: '2026-03-20T07:30:00.000Z',
      userId: ann.userId,
      user: { id: ann.userId, name: 'Ann' },
      // Stored and queued: the pipeline (probe, transcription, summary) takes it from here.
      state: 'downloaded',
      recording: { size: silentWav().length },
      transcript: [],
    });
    const stored = await injector(app)({
      method: 'GET',
      url: `${new URL(call.recording?.url ?? '').pathname}${new URL(call.recording?.url ?? '').search}`,
    });
    expect(stored.rawPayload.equals(silentWav())).toBe(true);
    // Newest start first: it leads the library.
    expect((await list(ann.token, 'limit=1')).data[0]?.id).toBe(call.id);
  });

  it('files the call under another member when asked, and requires one with an API key', async () => {
    const forBob = await upload(ann.token, multipart({ userId: String(bob.userId) }, [wavFile()]));
    expect(forBob.statusCode, forBob.body).toBe(201);
    expect(forBob.json<CallDetailDto>()).toMatchObject({ userId: bob.userId, title: 'Call' });
    const byKey = await upload(acme.apiKey, multipart({}, [wavFile()]));
    expect(byKey.statusCode).toBe(422);
    expect(byKey.json<ErrorDto>().error.details[0]?.path).toBe('body.userId');
  });

  it('refuses bad uploads with a 4xx and creates no call', async () => {
    const before = (await list(ann.token, 'limit=100')).data.length;
    const cases: [string, Awaited<ReturnType<typeof upload>>, number, string][] = [
      ['no file', await upload(ann.token, multipart({ title: 'x' })), 422, 'body.recording'],
      [
        'unknown field',
        await upload(ann.token, multipart({ colour: 'red' }, [wavFile()])),
        422,
        'body.colour',
      ],
      [
        'bad date',
        await upload(ann.token, multipart({ startedAt: 'tuesday' }, [wavFile()])),
        422,
        'body.startedAt',
      ],
      [
        'a stranger as owner',
        await upload(ann.token, multipart({ userId: String(stranger.userId) }, [wavFile()])),
        422,
        'body.userId',
      ],
      [
        'an HTML page as audio',
        await upload(
          ann.token,
          multipart({}, [{ ...wavFile(Buffer.from('<!doctype html><html><body>login</body></html>')) }]),
        ),
        415,
        'body.recording',
      ],
      [
        'a text file',
        await upload(
          ann.token,
          multipart({}, [
            {
              name: 'recording',
              fileName: 'notes.txt',
              contentType: 'text/plain',
              data: Buffer.from('hello'),
            },
          ]),
        ),
        415,
        'body.recording',
      ],
      [
        'an empty file',
        await upload(ann.token, multipart({}, [wavFile(Buffer.alloc(0))])),
        422,
        'body.recording',
      ],
    ];
    for (const [what, response, status, path] of cases) {
      expect(response.statusCode, `${what}: ${response.body}`).toBe(status);
      expect(
        response.json<ErrorDto>().error.details.map((detail) => detail.path),
        what,
      ).toContain(path);
    }
    const json = await injector(app)({
      method: 'POST',
      url: url('/calls'),
      headers: bearer(ann.token),
      payload: { title: 'no file' },
    });
    expect(json.statusCode).toBe(415);
    expect((await list(ann.token, 'limit=100')).data.length).toBe(before);
  });

  it('cannot upload into another account', async () => {
    const before = (await list(ann.token, 'limit=100')).data.length;
    const response = await upload(stranger.token, multipart({ title: 'Planted' }, [wavFile()]));
    expect(response.statusCode).toBe(404);
    expect((await list(ann.token, 'limit=100')).data.length).toBe(before);
  });
});
