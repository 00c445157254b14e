import { open } from 'node:fs/promises';

/**
 * What a RIFF/WAVE header promises. Decoders measure a cut-off wav by the bytes present, so
 * comparing the data chunk's declared size with the file is the only way to notice truncation.
 */
export interface WavDeclaration {
  declaredDataBytes: number;
  presentDataBytes: number;
}

export async function readWavDeclaration(filePath: string): Promise<WavDeclaration | null> {
  const handle = await open(filePath, 'r');
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(Math.min(size, 64 * 1024));
    await handle.read(head, 0, head.length, 0);
    if (
      head.length < 12 ||
      head.toString('ascii', 0, 4) !== 'RIFF' ||
      head.toString('ascii', 8, 12) !== 'WAVE'
    ) {
      return null;
    }
    let offset = 12;
    while (offset + 8 <= head.length) {
      const id = head.toString('ascii', offset, offset + 4);
      const chunkSize = head.readUInt32LE(offset + 4);
      if (id === 'data') {
        const dataStart = offset + 8;
        // Streaming writers put 0 or 0xFFFFFFFF here when they could not seek back: no promise made.
        if (chunkSize === 0 || chunkSize === 0xffffffff) return null;
        return { declaredDataBytes: chunkSize, presentDataBytes: Math.max(0, size - dataStart) };
      }
      offset += 8 + chunkSize + (chunkSize % 2);
    }
    return null;
  } finally {
    await handle.close();
  }
}
