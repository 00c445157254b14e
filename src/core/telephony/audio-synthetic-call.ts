import { Mp3Encoder } from '@breezystack/lamejs';
import { splitMp3Frames } from './audio-mp3-frames.js';

/**
 * The audio of a simulated call: two voices taking turns (voiced tones with syllable-like
 * swells), as real MP3 at telephone quality (8 kHz mono, 16 kbit/s), so the Diabolocom face can
 * serve `audio/mpeg` and any player or decoder accepts it.
 *
 * Encoding in JavaScript runs at about 40x real time, far too slow to encode every call of a
 * simulated day. So one short conversation loop is encoded once per voice pair and the call is
 * made of whole copies of its frames. Each copy starts with an empty bit reservoir (the encoder
 * starts every loop afresh), so cutting at a loop boundary, or after any frame, leaves a stream
 * every decoder plays; the joins only add the encoder's few milliseconds of silence.
 */

export const SYNTHETIC_SAMPLE_RATE = 8000;
const BITRATE_KBPS = 16;
/** The longest recording made for one call: longer calls keep their first ten minutes. */
export const MAX_SYNTHETIC_SECONDS = 10 * 60;
/** 125 layer III frames of 576 samples: 9 s, a whole number of frames. */
const LOOP_SAMPLES = 576 * 125;
const VOICE_PAIRS: readonly [number, number][] = [
  [120, 210],
  [135, 190],
  [110, 230],
  [150, 175],
];

export interface SyntheticRecording {
  bytes: Buffer;
  contentType: 'audio/mpeg';
  format: 'mp3';
  durationSeconds: number;
  sampleRate: number;
  channels: 1;
}

interface EncodedLoop {
  frames: Buffer[];
  frameSeconds: number;
}

const loops = new Map<number, EncodedLoop>();

/** `durationSeconds` of conversation (at least one frame, at most ten minutes); `seed` picks the voices. */
export function syntheticCallRecording(durationSeconds: number, seed = 0): SyntheticRecording {
  const loop = encodedLoop(Math.abs(Math.trunc(seed)) % VOICE_PAIRS.length);
  const seconds = Math.min(Math.max(durationSeconds, 0), MAX_SYNTHETIC_SECONDS);
  const frameCount = Math.max(1, Math.round(seconds / loop.frameSeconds));
  const parts: Buffer[] = [];
  for (let index = 0; index < frameCount; index += 1) {
    parts.push(loop.frames[index % loop.frames.length] as Buffer);
  }
  return {
    bytes: Buffer.concat(parts),
    contentType: 'audio/mpeg',
    format: 'mp3',
    durationSeconds: frameCount * loop.frameSeconds,
    sampleRate: SYNTHETIC_SAMPLE_RATE,
    channels: 1,
  };
}

function encodedLoop(variant: number): EncodedLoop {
  const cached = loops.get(variant);
  if (cached) return cached;
  const encoder = new Mp3Encoder(1, SYNTHETIC_SAMPLE_RATE, BITRATE_KBPS);
  const pcm = conversationPcm(VOICE_PAIRS[variant] ?? [120, 210]);
  const bytes = Buffer.concat([Buffer.from(encoder.encodeBuffer(pcm)), Buffer.from(encoder.flush())]);
  const frames = splitMp3Frames(bytes);
  const first = frames[0];
  if (!first) throw new Error('the MP3 encoder produced no frame');
  const loop = {
    frames: frames.map((frame) => bytes.subarray(frame.offset, frame.offset + frame.length)),
    frameSeconds: first.samples / first.sampleRate,
  };
  loops.set(variant, loop);
  return loop;
}

/** Nine seconds: the agent speaks, a pause, the contact answers, a pause. */
function conversationPcm([agentPitch, contactPitch]: [number, number]): Int16Array {
  const pcm = new Int16Array(LOOP_SAMPLES);
  const turns = [
    { from: 0.2, to: 3.6, pitch: agentPitch },
    { from: 4.3, to: 8.4, pitch: contactPitch },
  ];
  for (let index = 0; index < LOOP_SAMPLES; index += 1) {
    const time = index / SYNTHETIC_SAMPLE_RATE;
    const turn = turns.find((candidate) => time >= candidate.from && time < candidate.to);
    if (!turn) continue;
    // Syllables: a 4 Hz swell; a voice: a fundamental with two weaker harmonics.
    const syllable = Math.max(0, Math.sin(2 * Math.PI * 4 * (time - turn.from)));
    const phase = 2 * Math.PI * turn.pitch * time;
    const voice = Math.sin(phase) + 0.5 * Math.sin(2 * phase) + 0.25 * Math.sin(3 * phase);
    pcm[index] = Math.round(6000 * syllable * voice);
  }
  return pcm;
}
