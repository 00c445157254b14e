import { z } from 'zod';
import type { EngineAvailability, SummaryEngine, SummaryInputSegment, SummaryResult } from '../engines.js';
import { postForJson, type OpenAiCompatibleTarget } from '../transcription/openai-compatible-http.js';
import { NOTHING_TO_SUMMARIZE } from './extractive-summary-engine.js';

export interface OpenAiSummaryOptions extends Partial<OpenAiCompatibleTarget> {
  baseUrl?: string | undefined;
  model: string;
  /** Transcript characters sent at most, so long calls fit small local models' context. */
  maxTranscriptChars?: number;
}

const chatAnswer = z.object({
  choices: z
    .array(z.object({ message: z.object({ content: z.string().nullable() }) }))
    .min(1, 'the answer has no choices'),
});

const topicSchema = z.union([
  z
    .string()
    .min(1)
    .transform((name) => ({ name, score: 1, startSeconds: null })),
  z.object({
    name: z.string().min(1),
    score: z.number().min(0).max(1).nullish(),
    startSeconds: z.number().min(0).nullish(),
  }),
]);

/** What the model must return; a model that answers anything else makes the summary fail, saying why. */
export const summaryAnswerSchema = z.object({
  summary: z.string(),
  highlights: z
    .array(
      z.object({
        text: z.string().min(1),
        startSeconds: z.number().min(0),
        endSeconds: z.number().min(0).nullish(),
        speaker: z.string().nullish(),
      }),
    )
    .default([]),
  topics: z.array(topicSchema).default([]),
});

const SYSTEM_PROMPT = [
  'You summarize recorded business phone calls from their transcript.',
  'Each transcript line is "[start-end seconds] speaker: text".',
  'Answer with one JSON object and nothing else, shaped exactly as:',
  '{"summary": string (3-5 sentences),',
  ' "highlights": [{"text": string, "startSeconds": number, "endSeconds": number, "speaker": string}] (at most 5, key moments quoted or paraphrased, times from the transcript),',
  ' "topics": [{"name": string (1-3 words), "score": number between 0 and 1, "startSeconds": number}] (at most 8)}.',
  'Write in the language of the transcript.',
].join('\n');

/**
 * Any server speaking OpenAI's `POST /v1/chat/completions` (OpenAI, Ollama, vLLM, LocalAI): the
 * model is asked for a JSON object and its answer is validated before anything is stored.
 */
export function createOpenAiSummaryEngine(options: OpenAiSummaryOptions): SummaryEngine {
  const timeoutMs = options.timeoutMs ?? 5 * 60_000;
  const maxChars = options.maxTranscriptChars ?? 60_000;

  function availability(): Promise<EngineAvailability> {
    if (options.baseUrl === undefined) {
      return Promise.resolve({
        available: false,
        reason: 'PARLEY_SUMMARY_ENGINE=openai needs PARLEY_SUMMARY_URL (an OpenAI-compatible chat server)',
      });
    }
    return Promise.resolve({ available: true });
  }

  async function summarize(input: Parameters<SummaryEngine['summarize']>[0]): Promise<SummaryResult> {
    if (options.baseUrl === undefined) throw new Error((await availability()).reason);
    const transcript = transcriptText(input.segments, maxChars);
    if (transcript.length === 0)
      return { summary: '', highlights: [], topics: [], note: NOTHING_TO_SUMMARIZE };

    const heading = [
      input.title === null ? null : `Call title: ${input.title}`,
      input.language === null ? null : `Language: ${input.language}`,
    ].filter((line) => line !== null);
    const answer = await postForJson(
      { baseUrl: options.baseUrl, apiKey: options.apiKey, timeoutMs },
      '/chat/completions',
      JSON.stringify({
        model: options.model,
        temperature: 0,
        response_format: { type: 'json_object' },
        messages: [
          { role: 'system', content: SYSTEM_PROMPT },
          { role: 'user', content: [...heading, 'Transcript:', transcript].join('\n') },
        ],
      }),
      'The summary server',
      input.signal,
    );
    const chat = chatAnswer.safeParse(answer);
    if (!chat.success) {
      throw new Error(
        `The summary server's answer is not a chat completion: ${chat.error.issues[0]?.message}`,
      );
    }
    const content = chat.data.choices[0]?.message.content ?? '';
    let json: unknown;
    try {
      json = JSON.parse(stripFences(content));
    } catch {
      throw new Error(`The summary model did not answer with JSON: ${content.slice(0, 200)}`);
    }
    const parsed = summaryAnswerSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(
        `The summary model's JSON does not have the expected shape: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
      );
    }
    return {
      summary: parsed.data.summary.trim(),
      highlights: parsed.data.highlights.map((highlight) => ({
        text: highlight.text,
        startSeconds: highlight.startSeconds,
        endSeconds: highlight.endSeconds ?? highlight.startSeconds,
        speaker: highlight.speaker ?? null,
      })),
      topics: parsed.data.topics.map((topic) => ({
        name: topic.name,
        score: topic.score ?? 1,
        startSeconds: topic.startSeconds ?? null,
      })),
    };
  }

  return { name: 'openai', availability, summarize };
}

function transcriptText(segments: readonly SummaryInputSegment[], maxChars: number): string {
  const lines: string[] = [];
  let size = 0;
  for (const segment of segments) {
    const text = segment.text.trim();
    if (text.length === 0) continue;
    const line = `[${segment.startSeconds.toFixed(1)}-${segment.endSeconds.toFixed(1)}] ${segment.speaker}: ${text}`;
    if (size + line.length > maxChars) {
      lines.push('[transcript cut here: too long]');
      break;
    }
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n');
}

/** Models often wrap JSON in a Markdown code fence even when asked not to. */
function stripFences(content: string): string {
  const fenced = /^\s*```(?:json)?\s*([\s\S]*?)\s*```\s*$/i.exec(content);
  return (fenced?.[1] ?? content).trim();
}
