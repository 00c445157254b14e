/**
 * Speech-to-text benchmark: `npm run bench:transcription` (BENCH_SPEECH_SECONDS, default 60).
 *
 * Speaks about a minute of call-like English with espeak-ng, then times every locally installed
 * stage: measuring the recording, converting it to 16 kHz PCM, each local transcription engine
 * (mono, and dual-channel: one run per side) and the extractive summary. The real-time factor
 * is processing time / audio duration (below 1 is faster than real time). Word recall is the
 * share of spoken words found in the transcript: a rough quality figure, not a WER.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAudioToolkit } from '../../src/core/calls/audio/audio-toolkit.js';
import type { TranscriptionEngine } from '../../src/core/calls/engines.js';
import { createExtractiveSummaryEngine } from '../../src/core/calls/summary/extractive-summary-engine.js';
import { createPocketsphinxEngine } from '../../src/core/calls/transcription/pocketsphinx-engine.js';
import { speechToolsAvailable, synthesizeSpeech } from '../../src/testing/speech.js';

const targetSeconds = Number(process.env.BENCH_SPEECH_SECONDS ?? '60');
if (!Number.isFinite(targetSeconds) || targetSeconds < 5 || targetSeconds > 3600) {
  throw new Error('BENCH_SPEECH_SECONDS must be between 5 and 3600');
}

const TURNS = [
  'Good morning, thank you for calling. How can I help you?',
  'Hello. What is the price of the new contract?',
  'The price is three hundred dollars per month for the standard plan.',
  'That is more than last year. Can we have a meeting tomorrow?',
  'Yes, the meeting is tomorrow at ten in the morning.',
  'Please send me the contract before the meeting.',
  'I will send the contract today by email.',
  'Thank you very much. Have a nice day.',
];

interface Row {
  stage: string;
  audioSeconds: number;
  seconds: number;
  cpuSeconds: number;
  recall?: number;
}

/**
 * CPU seconds used by this process and its finished children (ffmpeg, pocketsphinx). On a shared
 * machine wall time includes waiting for a core; CPU time is what the work itself costs.
 */
function cpuSeconds(): number {
  const own = process.cpuUsage();
  let children = 0;
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 16 and 17 of proc(5), cutime and cstime, in clock ticks (100 per second on Linux).
    children = (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    // not Linux: children's time is not counted
  }
  return (own.user + own.system) / 1e6 + children;
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number; cpuSeconds: number }> {
  const started = performance.now();
  const cpuStarted = cpuSeconds();
  const value = await work();
  return { value, seconds: (performance.now() - started) / 1000, cpuSeconds: cpuSeconds() - cpuStarted };
}

function recall(reference: readonly string[], heard: string): number {
  const words = (text: string) => text.toLowerCase().match(/[a-z']+/g) ?? [];
  const pool = new Map<string, number>();
  for (const word of words(heard)) pool.set(word, (pool.get(word) ?? 0) + 1);
  const spoken = reference.flatMap(words);
  let found = 0;
  for (const word of spoken) {
    const left = pool.get(word) ?? 0;
    if (left > 0) {
      found += 1;
      pool.set(word, left - 1);
    }
  }
  return spoken.length === 0 ? 0 : found / spoken.length;
}

async function main(): Promise<void> {
  const tools = speechToolsAvailable(['espeak-ng', 'ffmpeg']);
  if (!tools.available) throw new Error(`cannot run the benchmark: ${tools.reason}`);
  const dir = await mkdtemp(join(tmpdir(), 'parley-bench-stt-'));
  try {
    const audio = createAudioToolkit();
    // Repeat the dialogue until it lasts about the target (a turn and its pause take about 5 s).
    const turns: string[] = [];
    while (turns.length * 5 < targetSeconds) turns.push(TURNS[turns.length % TURNS.length] as string);
    const mono = await synthesizeSpeech(turns.join(' '), { outPath: join(dir, 'call.mp3') });
    const dual = await synthesizeSpeech(turns, { outPath: join(dir, 'call-dual.wav'), channels: 2 });

    const rows: Row[] = [];
    const probe = await timed(() => audio.probe(mono));
    rows.push({
      stage: 'probe (decode + measure, mp3)',
      audioSeconds: probe.value.durationSeconds,
      seconds: probe.seconds,
      cpuSeconds: probe.cpuSeconds,
    });
    const convert = await timed(() => audio.toPcmWav(mono, join(dir, 'pcm.wav')));
    rows.push({
      stage: 'toPcmWav (mp3 → 16 kHz wav)',
      audioSeconds: probe.value.durationSeconds,
      seconds: convert.seconds,
      cpuSeconds: convert.cpuSeconds,
    });
    const dualInfo = await audio.probe(dual);

    const engines: TranscriptionEngine[] = [createPocketsphinxEngine({ audio })];
    let transcriptText = '';
    for (const engine of engines) {
      const availability = await engine.availability();
      if (!availability.available) {
        console.warn(`${engine.name}: skipped, ${availability.reason}`);
        continue;
      }
      for (const [label, file, info] of [
        ['mono mp3', mono, probe.value],
        ['dual-channel wav', dual, dualInfo],
      ] as const) {
        const run = await timed(() => engine.transcribe({ filePath: file, audio: info, language: 'en' }));
        const text = run.value.segments.map((segment) => segment.text).join(' ');
        if (label === 'mono mp3') transcriptText = text;
        rows.push({
          stage: `${engine.name} (${label}, ${run.value.segments.length} segments)`,
          audioSeconds: info.durationSeconds,
          seconds: run.seconds,
          cpuSeconds: run.cpuSeconds,
          recall: recall(turns, text),
        });
      }
    }

    const summary = createExtractiveSummaryEngine();
    const segments = turns.map((text, index) => ({
      speaker: index % 2 === 0 ? 'Agent' : 'Customer',
      startSeconds: index * 5,
      endSeconds: (index + 1) * 5,
      text,
    }));
    const summarized = await timed(() => summary.summarize({ title: null, language: 'en', segments }));
    rows.push({
      stage: `extractive summary (${segments.length} turns)`,
      audioSeconds: probe.value.durationSeconds,
      seconds: summarized.seconds,
      cpuSeconds: summarized.cpuSeconds,
    });

    console.log(
      `\nParley transcription benchmark: ${probe.value.durationSeconds.toFixed(1)} s of espeak-ng speech`,
    );
    console.log(
      `machine: ${cpus()[0]?.model ?? 'unknown cpu'} × ${cpus().length}, node ${process.version}\n`,
    );
    console.table(
      rows.map((row) => ({
        stage: row.stage,
        'audio (s)': row.audioSeconds.toFixed(1),
        'wall (s)': row.seconds.toFixed(2),
        'cpu (s)': row.cpuSeconds.toFixed(2),
        'RTF wall': (row.seconds / row.audioSeconds).toFixed(3),
        'RTF cpu': (row.cpuSeconds / row.audioSeconds).toFixed(3),
        'word recall': row.recall === undefined ? '' : `${Math.round(row.recall * 100)} %`,
      })),
    );
    if (transcriptText.length > 0)
      console.log(`\npocketsphinx heard (start): ${transcriptText.slice(0, 240)}…`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
