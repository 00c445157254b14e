import { Readable } from 'node:stream';
import { OutboundError } from './outbound-error.js';

/**
 * Closes a response body we will not read further. undici reports the early close as a
 * RequestAbortedError on the stream; that error is the intended outcome, not a failure.
 */
export function discardBody(body: Readable): void {
  body.on('error', () => undefined);
  body.destroy();
}

/**
 * Reads at most `maxBytes` and drops the rest of the stream, so a hostile or runaway server
 * cannot make us buffer without bound; webhook logs only keep a snippet anyway.
 */
export async function readCapped(
  body: Readable,
  maxBytes: number,
): Promise<{ body: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    if (size + chunk.length > maxBytes) {
      chunks.push(chunk.subarray(0, maxBytes - size));
      discardBody(body);
      return { body: Buffer.concat(chunks), truncated: true };
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  return { body: Buffer.concat(chunks), truncated: false };
}

/**
 * Passes the body through until more than `maxBytes` have flowed, then fails with `too_large`
 * and tears the source down. Errors from the source are translated by `mapError`, so callers
 * of a download only ever see OutboundError.
 */
export function cappedStream(
  source: Readable,
  maxBytes: number,
  mapError: (error: unknown) => OutboundError,
): Readable {
  async function* limited(): AsyncGenerator<Buffer> {
    let size = 0;
    try {
      for await (const chunk of source as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > maxBytes) throw new OutboundError('too_large', `response body exceeds ${maxBytes} bytes`);
        yield chunk;
      }
    } catch (error) {
      throw mapError(error);
    } finally {
      // Covers the consumer giving up early too: the generator is returned, not drained.
      if (!source.readableEnded) discardBody(source);
    }
  }
  return Readable.from(limited(), { objectMode: false });
}
