import type { TestApp } from '../../testing/app.js';

/** What the calls library tests share: DTO shapes, a real WAV, a hand-made multipart body. */

export interface CallItemDto {
  id: number;
  title: string;
  startedAt: string | null;
  state: string;
  userId: number | null;
  user: { id: number; name: string } | null;
  tags: { id: number; name: string; color: string }[];
  contacts: { id: number; name: string }[];
  recording: { url: string; size: number | null } | null;
  summary: string | null;
}
export interface CallDetailDto extends CallItemDto {
  transcript: {
    speakerId: number | null;
    speaker: string;
    startSeconds: number;
    endSeconds: number;
    text: string;
  }[];
  highlights: { speaker: string | null; startSeconds: number; text: string }[];
  topics: { name: string; score: number; startSeconds: number | null }[];
}
export interface CallPageDto {
  data: CallItemDto[];
  nextCursor: string | null;
}
export interface ErrorDto {
  error: { code: string; message: string; details: { path: string; message: string }[] };
}

/** The statements the driver is sent while `run` is in flight (as conversations.test.ts counts them). */
export async function statementsDuring(app: TestApp, run: () => Promise<unknown>): Promise<string[]> {
  const client = (app.parley.ctx.db as unknown as { $client: Record<string, unknown> }).$client;
  const seen: string[] = [];
  const originals = ['query', 'exec', 'unsafe', 'begin', 'transaction'].flatMap((name) => {
    const original = client[name];
    return typeof original === 'function'
      ? [[name, original as (...args: unknown[]) => unknown] as const]
      : [];
  });
  for (const [name, original] of originals) {
    client[name] = (...args: unknown[]) => {
      seen.push(typeof args[0] === 'string' ? args[0] : `${name}()`);
      return original.apply(client, args);
    };
  }
  try {
    await run();
  } finally {
    for (const [name, original] of originals) client[name] = original;
  }
  return seen;
}

export { multipart } from '../../testing/multipart.js';

/** One second of 8 kHz 16-bit mono silence: a real WAV file, so the content check passes. */
export function silentWav(seconds = 1): Buffer {
  const data = Buffer.alloc(8000 * 2 * seconds);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(16000, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}
