import type { IncomingMessage, ServerResponse } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../testing/http-servers.js';
import { speechToolsAvailable, synthesizeSpeech } from '../../../testing/speech.js';
import { createAudioToolkit } from '../audio/audio-toolkit.js';
import type { AudioInfo } from '../engines.js';
import { createOpenAiTranscriptionEngine } from './openai-transcription-engine.js';

interface Received {
  method: string;
  url: string;
  authorization: string | undefined;
  form: FormData;
}

/** A real HTTP server speaking the transcription protocol; the handler decides the answer. */
async function transcriptionServer(
  answer: (received: Received, response: ServerResponse) => void,
): Promise<{ server: TestServer; received: Received[] }> {
  const received: Received[] = [];
  const server = await startServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void new Response(Buffer.concat(chunks), {
        headers: { 'content-type': request.headers['content-type'] ?? '' },
      })
        // Fine for a test server reading one small upload; production parsing would stream (busboy).
        // eslint-disable-next-line @typescript-eslint/no-deprecated
        .formData()
        .then((form) => {
          const entry = {
            method: request.method ?? '',
            url: request.url ?? '',
            authorization: request.headers.authorization,
            form,
          };
          received.push(entry);
          answer(entry, response);
        });
    });
  });
  return { server, received };
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

const speech = speechToolsAvailable(['espeak-ng', 'ffmpeg']);
if (!speech.available) console.warn(`dual-channel upload test skipped: ${speech.reason}`);

const AUDIO: AudioInfo = { format: 'mp3', durationSeconds: 9.5, channels: 1, sampleRate: 16000 };

describe('OpenAI-compatible transcription engine', () => {
  let dir: string;
  let file: string;
  let server: TestServer | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-openai-stt-'));
    file = join(dir, 'call-42.mp3');
    await writeFile(file, Buffer.from('ID3-fake-but-bytes-are-bytes'));
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('uploads the recording as multipart and reads verbose_json segments', async () => {
    const started = await transcriptionServer((_received, response) =>
      json(response, 200, {
        task: 'transcribe',
        language: 'english',
        duration: 9.5,
        text: 'Hello, thanks for calling. What is the price?',
        segments: [
          {
            id: 0,
            start: 0,
            end: 2.4,
            text: ' Hello, thanks for calling.',
            avg_logprob: -0.2,
            no_speech_prob: 0.01,
          },
          { id: 1, start: 2.4, end: 5.1, text: ' What is the price?', avg_logprob: -0.5 },
          { id: 2, start: 5.1, end: 6, text: '   ' },
        ],
      }),
    );
    server = started.server;
    const engine = createOpenAiTranscriptionEngine({
      baseUrl: server.url('/'),
      apiKey: 'sk-test-123',
      model: 'whisper-large-v3',
    });
    expect(await engine.availability()).toEqual({ available: true });

    const result = await engine.transcribe({ filePath: file, audio: AUDIO, language: 'en-US' });

    const [request] = started.received;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/v1/audio/transcriptions');
    expect(request?.authorization).toBe('Bearer sk-test-123');
    expect(request?.form.get('model')).toBe('whisper-large-v3');
    expect(request?.form.get('response_format')).toBe('verbose_json');
    expect(request?.form.get('language')).toBe('en');
    const upload = request?.form.get('file');
    expect(typeof upload).toBe('object');
    const uploaded = upload as unknown as { name: string; arrayBuffer(): Promise<ArrayBuffer> };
    expect(uploaded.name).toBe('call-42.mp3');
    expect(Buffer.from(await uploaded.arrayBuffer()).toString()).toBe('ID3-fake-but-bytes-are-bytes');

    expect(result).toEqual({
      language: 'en',
      segments: [
        {
          channel: null,
          speakerLabel: null,
          startSeconds: 0,
          endSeconds: 2.4,
          text: 'Hello, thanks for calling.',
          confidence: 0.819,
        },
        {
          channel: null,
          speakerLabel: null,
          startSeconds: 2.4,
          endSeconds: 5.1,
          text: 'What is the price?',
          confidence: 0.607,
        },
      ],
    });
  });

  it('sends no Authorization header without a key, and accepts a base URL ending in /v1', async () => {
    const started = await transcriptionServer((_received, response) =>
      json(response, 200, { text: 'Just text.' }),
    );
    server = started.server;
    const engine = createOpenAiTranscriptionEngine({ baseUrl: server.url('/v1'), model: 'whisper-1' });
    const result = await engine.transcribe({ filePath: file, audio: AUDIO, language: null });
    expect(started.received[0]?.url).toBe('/v1/audio/transcriptions');
    expect(started.received[0]?.authorization).toBeUndefined();
    expect(started.received[0]?.form.has('language')).toBe(false);
    // A server without segments still yields the text, spanning the recording.
    expect(result.segments).toEqual([
      {
        channel: null,
        speakerLabel: null,
        startSeconds: 0,
        endSeconds: 9.5,
        text: 'Just text.',
        confidence: null,
      },
    ]);
  });

  it('turns an error answer into a clear error', async () => {
    const started = await transcriptionServer((_received, response) =>
      json(response, 401, {
        error: { message: 'Incorrect API key provided', type: 'invalid_request_error' },
      }),
    );
    server = started.server;
    const engine = createOpenAiTranscriptionEngine({
      baseUrl: server.url('/'),
      apiKey: 'wrong',
      model: 'whisper-1',
    });
    await expect(engine.transcribe({ filePath: file, audio: AUDIO, language: null })).rejects.toThrow(
      /The transcription server at http:\/\/127\.0\.0\.1:\d+\/v1\/audio\/transcriptions answered 401: Incorrect API key provided/,
    );
  });

  it('reports a server error and an answer that is not JSON', async () => {
    const started = await transcriptionServer((_received, response) => {
      response.writeHead(started.received.length === 1 ? 503 : 200, { 'content-type': 'text/plain' });
      response.end('model is loading');
    });
    server = started.server;
    const engine = createOpenAiTranscriptionEngine({ baseUrl: server.url('/'), model: 'whisper-1' });
    await expect(engine.transcribe({ filePath: file, audio: AUDIO, language: null })).rejects.toThrow(
      /answered 503: model is loading/,
    );
    await expect(engine.transcribe({ filePath: file, audio: AUDIO, language: null })).rejects.toThrow(
      /not JSON/,
    );
  });

  it('gives up after its timeout', async () => {
    const started = await transcriptionServer(() => {
      // never answers
    });
    server = started.server;
    const engine = createOpenAiTranscriptionEngine({
      baseUrl: server.url('/'),
      model: 'whisper-1',
      timeoutMs: 300,
    });
    await expect(engine.transcribe({ filePath: file, audio: AUDIO, language: null })).rejects.toThrow(
      /did not answer within 300 ms/,
    );
  });

  it.skipIf(!speech.available)(
    `sends each channel of a dual-channel call on its own${speech.available ? '' : ` (skipped: ${speech.reason})`}`,
    async () => {
      const audio = createAudioToolkit();
      const dual = await synthesizeSpeech(['hello there', 'good morning to you'], {
        outPath: join(dir, 'dual.wav'),
        channels: 2,
      });
      const info = await audio.probe(dual);
      const uploads: { name: string; head: Buffer }[] = [];
      const started = await transcriptionServer((received, response) => {
        const file = received.form.get('file') as unknown as {
          name: string;
          arrayBuffer(): Promise<ArrayBuffer>;
        };
        void file.arrayBuffer().then((bytes) => {
          uploads.push({ name: file.name, head: Buffer.from(bytes).subarray(0, 3) });
          const side = file.name.includes('.ch0.') ? 'agent' : 'customer';
          json(response, 200, {
            language: 'english',
            segments: [{ start: side === 'agent' ? 0.2 : 1.9, end: 3, text: `${side} words` }],
          });
        });
      });
      server = started.server;
      const engine = createOpenAiTranscriptionEngine({ baseUrl: server.url('/'), model: 'whisper-1', audio });

      const result = await engine.transcribe({ filePath: dual, audio: info, language: null });

      expect(uploads.map((upload) => upload.name)).toEqual(['channel.ch0.mp3', 'channel.ch1.mp3']);
      for (const upload of uploads) {
        // An mp3 starts with an ID3 tag or an MPEG frame sync.
        expect(upload.head.toString('latin1') === 'ID3' || upload.head[0] === 0xff).toBe(true);
      }
      expect(result.language).toBe('en');
      expect(result.segments.map((segment) => [segment.channel, segment.text])).toEqual([
        [0, 'agent words'],
        [1, 'customer words'],
      ]);

      // Without the toolkit the recording goes up whole, as one mixed track.
      const plain = createOpenAiTranscriptionEngine({ baseUrl: server.url('/'), model: 'whisper-1' });
      const mixed = await plain.transcribe({ filePath: dual, audio: info, language: null });
      expect(uploads.at(-1)?.name).toBe('dual.wav');
      expect(mixed.segments.every((segment) => segment.channel === null)).toBe(true);
    },
    60_000,
  );

  it('says it needs a URL', async () => {
    const engine = createOpenAiTranscriptionEngine({ baseUrl: undefined, model: 'whisper-1' });
    expect(await engine.availability()).toEqual({
      available: false,
      reason:
        'PARLEY_TRANSCRIPTION_ENGINE=openai needs PARLEY_TRANSCRIPTION_URL (an OpenAI-compatible server)',
    });
  });
});
