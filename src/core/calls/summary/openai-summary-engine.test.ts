import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { closedPort, startServer, type TestServer } from '../../../testing/http-servers.js';
import type { SummaryInputSegment } from '../engines.js';
import { NOTHING_TO_SUMMARIZE } from './extractive-summary-engine.js';
import { createOpenAiSummaryEngine } from './openai-summary-engine.js';

interface Received {
  url: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: {
    model: string;
    temperature: number;
    response_format: { type: string };
    messages: { role: string; content: string }[];
  };
}

async function chatServer(content: (received: Received, response: ServerResponse) => void) {
  const received: Received[] = [];
  const server = await startServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const entry: Received = {
        url: request.url ?? '',
        authorization: request.headers.authorization,
        contentType: request.headers['content-type'],
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Received['body'],
      };
      received.push(entry);
      content(entry, response);
    });
  });
  return { server, received };
}

function reply(response: ServerResponse, messageContent: string | null, status = 200): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(
    JSON.stringify({
      id: 'chatcmpl-1',
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content: messageContent }, finish_reason: 'stop' }],
    }),
  );
}

const SEGMENTS: SummaryInputSegment[] = [
  { speaker: 'Agent', startSeconds: 0, endSeconds: 3.5, text: 'Hello, Acme support.' },
  {
    speaker: 'Customer',
    startSeconds: 3.5,
    endSeconds: 9,
    text: 'I want to renew my contract at the old price.',
  },
];

describe('OpenAI-compatible summary engine', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('asks the chat endpoint for JSON and returns the validated answer', async () => {
    const started = await chatServer((_received, response) =>
      reply(
        response,
        '```json\n' +
          JSON.stringify({
            summary: 'The customer wants to renew at the old price.',
            highlights: [
              { text: 'Renew at the old price', startSeconds: 3.5, endSeconds: 9, speaker: 'Customer' },
            ],
            topics: [{ name: 'contract renewal', score: 0.9, startSeconds: 3.5 }, 'pricing'],
          }) +
          '\n```',
      ),
    );
    server = started.server;
    const engine = createOpenAiSummaryEngine({
      baseUrl: server.url('/'),
      apiKey: 'sk-sum',
      model: 'llama3.1',
    });

    const result = await engine.summarize({ title: 'Renewal', language: 'en', segments: SEGMENTS });

    const [request] = started.received;
    expect(request?.url).toBe('/v1/chat/completions');
    expect(request?.authorization).toBe('Bearer sk-sum');
    expect(request?.contentType).toBe('application/json');
    expect(request?.body.model).toBe('llama3.1');
    expect(request?.body.temperature).toBe(0);
    expect(request?.body.response_format).toEqual({ type: 'json_object' });
    expect(request?.body.messages.map((message) => message.role)).toEqual(['system', 'user']);
    expect(request?.body.messages[0]?.content).toContain('"highlights"');
    expect(request?.body.messages[1]?.content).toContain('Call title: Renewal');
    expect(request?.body.messages[1]?.content).toContain(
      '[3.5-9.0] Customer: I want to renew my contract at the old price.',
    );

    expect(result).toEqual({
      summary: 'The customer wants to renew at the old price.',
      highlights: [{ text: 'Renew at the old price', startSeconds: 3.5, endSeconds: 9, speaker: 'Customer' }],
      topics: [
        { name: 'contract renewal', score: 0.9, startSeconds: 3.5 },
        { name: 'pricing', score: 1, startSeconds: null },
      ],
    });
  });

  it('fails clearly when the model answers prose or the wrong shape', async () => {
    let answer = 'Sure! Here is a summary of the call.';
    const started = await chatServer((_received, response) => reply(response, answer));
    server = started.server;
    const engine = createOpenAiSummaryEngine({ baseUrl: server.url('/'), model: 'm' });
    const input = { title: null, language: null, segments: SEGMENTS };

    await expect(engine.summarize(input)).rejects.toThrow(
      /did not answer with JSON: Sure! Here is a summary/,
    );
    answer = JSON.stringify({ summary: 'ok', highlights: [{ text: 'x', startSeconds: 'soon' }] });
    await expect(engine.summarize(input)).rejects.toThrow(/expected shape: highlights\.0\.startSeconds/);
    answer = JSON.stringify({ highlights: [] });
    await expect(engine.summarize(input)).rejects.toThrow(/expected shape: summary/);
  });

  it('reports an error status with the server message', async () => {
    const started = await chatServer((_received, response) => {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: 'model "llama9" not found, try pulling it first' } }));
    });
    server = started.server;
    const engine = createOpenAiSummaryEngine({ baseUrl: server.url('/'), model: 'llama9' });
    await expect(engine.summarize({ title: null, language: null, segments: SEGMENTS })).rejects.toThrow(
      /The summary server at http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions answered 404: model "llama9" not found/,
    );
  });

  it('does not call the server for an empty transcript', async () => {
    const started = await chatServer((_received, response) => reply(response, '{}'));
    server = started.server;
    const engine = createOpenAiSummaryEngine({ baseUrl: server.url('/'), model: 'm' });
    const result = await engine.summarize({ title: null, language: null, segments: [] });
    expect(result).toEqual({ summary: '', highlights: [], topics: [], note: NOTHING_TO_SUMMARIZE });
    expect(started.received).toHaveLength(0);
  });

  it('cannot reach a closed port, and says so', async () => {
    const port = await closedPort();
    const engine = createOpenAiSummaryEngine({
      baseUrl: `http://127.0.0.1:${port}/`,
      model: 'm',
      timeoutMs: 2000,
    });
    await expect(engine.summarize({ title: null, language: null, segments: SEGMENTS })).rejects.toThrow(
      /could not be reached: ECONNREFUSED/,
    );
  });
});
