import { Transform } from 'node:stream';

/**
 * A pass-through stream that holds back the first `size` bytes (or the whole stream, if shorter)
 * until `check` has seen them. Nothing reaches the destination before the check accepts, so a
 * refused upload (an HTML page sent as audio) never lands in storage, not even as a temp file's
 * first chunk. A throwing check errors the stream with its error.
 */
export function createHeadCheck(size: number, check: (head: Buffer) => Promise<void> | void): Transform {
  const held: Buffer[] = [];
  let heldBytes = 0;
  let isChecked = false;

  async function release(stream: Transform): Promise<void> {
    const head = Buffer.concat(held);
    held.length = 0;
    await check(head.subarray(0, size));
    isChecked = true;
    stream.push(head);
  }

  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (isChecked) {
        callback(null, chunk);
        return;
      }
      held.push(chunk);
      heldBytes += chunk.length;
      if (heldBytes < size) {
        callback();
        return;
      }
      release(this).then(() => callback(), callback);
    },
    flush(callback) {
      if (isChecked) {
        callback();
        return;
      }
      release(this).then(() => callback(), callback);
    },
  });
}
