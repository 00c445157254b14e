/**
 * Just enough of the MPEG audio frame header (ISO 11172-3 / 13818-3, layer III) to cut an encoded
 * stream at frame boundaries and to measure it: the synthetic recordings are built by repeating
 * whole frames, and tests check that what is served is a stream of valid frames.
 */

export interface Mp3FrameInfo {
  offset: number;
  length: number;
  samples: number;
  sampleRate: number;
}

// Kbit/s by bitrate index (1-14) for layer III: MPEG-1, then MPEG-2 and 2.5 (which share a table).
const MPEG1_BITRATES = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const MPEG2_BITRATES = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const SAMPLE_RATES: Record<number, number[]> = {
  3: [44100, 48000, 32000], // MPEG-1
  2: [22050, 24000, 16000], // MPEG-2
  0: [11025, 12000, 8000], // MPEG-2.5
};

/** The layer III frame that starts at `offset`, or null when no valid header is there. */
export function readMp3Frame(bytes: Uint8Array, offset: number): Mp3FrameInfo | null {
  if (offset + 4 > bytes.length) return null;
  const [b0, b1, b2] = [bytes[offset] ?? 0, bytes[offset + 1] ?? 0, bytes[offset + 2] ?? 0];
  if (b0 !== 0xff || (b1 & 0xe0) !== 0xe0) return null;
  const version = (b1 >> 3) & 0x03;
  const layer = (b1 >> 1) & 0x03;
  if (layer !== 0x01) return null;
  const rates = SAMPLE_RATES[version];
  const bitrateIndex = (b2 >> 4) & 0x0f;
  const sampleRate = rates?.[(b2 >> 2) & 0x03];
  if (sampleRate === undefined || bitrateIndex === 0 || bitrateIndex === 15) return null;
  const isMpeg1 = version === 3;
  const kbps = (isMpeg1 ? MPEG1_BITRATES : MPEG2_BITRATES)[bitrateIndex] ?? 0;
  const padding = (b2 >> 1) & 0x01;
  const samples = isMpeg1 ? 1152 : 576;
  const length = Math.floor(((samples / 8) * kbps * 1000) / sampleRate) + padding;
  return { offset, length, samples, sampleRate };
}

/** Every frame of a stream that holds nothing else; throws at the first byte that is not a frame. */
export function splitMp3Frames(bytes: Uint8Array): Mp3FrameInfo[] {
  const frames: Mp3FrameInfo[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const frame = readMp3Frame(bytes, offset);
    if (!frame || frame.offset + frame.length > bytes.length) {
      throw new Error(`not an MPEG layer III frame at byte ${offset}`);
    }
    frames.push(frame);
    offset += frame.length;
  }
  return frames;
}

/** The playing time of a stream of frames, in seconds. */
export function mp3DurationSeconds(bytes: Uint8Array): number {
  return splitMp3Frames(bytes).reduce((total, frame) => total + frame.samples / frame.sampleRate, 0);
}
