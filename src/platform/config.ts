import { z } from 'zod';

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const listFromEnv = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0),
);

/** Every environment variable Parley reads, with its default. The README's configuration table mirrors this. */
const jsonObjectText = z.string().refine((value) => {
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
}, 'a JSON object of carrier simulator options, e.g. {"seed": 7}');

export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  PARLEY_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.url().optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
  REDIS_URL: z.url().optional(),
  PARLEY_PLATFORM_TOKEN: z
    .string()
    .min(16, 'PARLEY_PLATFORM_TOKEN must be at least 16 characters')
    .optional(),
  PARLEY_PUBLIC_URL: z.url().optional(),
  PARLEY_SIGNING_SECRET: z.string().min(16).optional(),
  PARLEY_OUTBOUND_ALLOWLIST: listFromEnv.default([]),
  PARLEY_CORS_ORIGINS: listFromEnv.default([]),
  /** The built web app (index.html + assets/) served at `/`; unset: `web/dist` in the package. */
  PARLEY_WEB_DIR: z.string().min(1).optional(),
  PARLEY_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  /** Requests per token (or per IP without one) in each rate-limit window. */
  PARLEY_RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(3000),
  PARLEY_RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(100).default(60_000),
  /** The Dixa face's own budget per token, like Dixa's (10 requests per second, bursts of up to 20). */
  PARLEY_DIXA_RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(20),
  PARLEY_DIXA_RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(100).default(2_000),
  /** Sign-in attempts per client IP per minute. */
  PARLEY_AUTH_RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(10),
  /** Requests with credentials that match nothing, per client IP per minute; past it, refused before any lookup. */
  PARLEY_FAILED_AUTH_RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(30),
  /** When set, `/metrics` answers only to `Authorization: Bearer <token>`. */
  PARLEY_METRICS_TOKEN: z.string().min(16, 'PARLEY_METRICS_TOKEN must be at least 16 characters').optional(),
  /** `host:port` of a separate listener for `/metrics`; when set, the main port does not serve it. */
  PARLEY_METRICS_LISTEN: z
    .string()
    .regex(
      /^(\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):\d{1,5}$/,
      'PARLEY_METRICS_LISTEN must be host:port, e.g. 127.0.0.1:9464',
    )
    .optional(),
  /** A web app session (the `parley_session` cookie's token) unused for this many minutes is signed out. */
  PARLEY_SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(12 * 60),
  /** A web app session ends this many days after sign-in, however busy. */
  PARLEY_SESSION_LIFETIME_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** How often each open WebSocket's credential is checked again, behind the revocation notices. */
  PARLEY_REALTIME_RECHECK_MS: z.coerce.number().int().min(50).default(30_000),
  /** Days dispatched events and settled webhook deliveries are kept. */
  PARLEY_RETENTION_DAYS: z.coerce.number().int().min(1).default(30),
  /** Days finished jobs are kept for inspection. */
  PARLEY_JOB_RETENTION_DAYS: z.coerce.number().int().min(1).default(7),
  PARLEY_WORKERS: booleanFromEnv.default(true),
  PARLEY_JOB_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(4),
  /** Webhook deliveries one node runs at once: their own slots, apart from other jobs (I/O bound). */
  PARLEY_WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(16),
  /** Call-processing jobs (download, transcription, summary) one node runs at once (CPU bound). */
  PARLEY_CALL_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(2),
  /** Jobs of live calls (dialer ticks, REALTIME10 steps) one node runs at once, apart from every other job. */
  PARLEY_LIVE_CALL_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(4),
  /** Stable id of this node; unset: generated once and kept in `<PARLEY_DATA_DIR>/node-id`. */
  PARLEY_NODE_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, ".", "_" or "-", at most 64')
    .optional(),
  PARLEY_JOB_POLL_MS: z.coerce.number().int().min(10).default(500),
  PARLEY_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
  /** The dialer's carrier simulator options as a JSON object (seed, outcomeWeights, ringSeconds, …). */
  PARLEY_DIALER_SIMULATOR: jsonObjectText.optional(),
  /** The same for the carrier of the CALLR face's calls (REALTIME10, broadcasts, click-to-call). */
  PARLEY_TELEPHONY_SIMULATOR: jsonObjectText.optional(),
  /** Speech-to-text: `auto` uses the local engine when it is installed, else none (calls say so). */
  PARLEY_TRANSCRIPTION_ENGINE: z.enum(['auto', 'pocketsphinx', 'openai', 'none']).default('auto'),
  /** Base URL of an OpenAI-compatible server (whisper.cpp, faster-whisper, hosted): `<url>/v1/audio/transcriptions`. */
  PARLEY_TRANSCRIPTION_URL: z.url().optional(),
  PARLEY_TRANSCRIPTION_API_KEY: z.string().min(1).optional(),
  PARLEY_TRANSCRIPTION_MODEL: z.string().min(1).default('whisper-1'),
  /** Summaries: the local extractive summarizer, or an OpenAI-compatible chat-completions server. */
  PARLEY_SUMMARY_ENGINE: z.enum(['extractive', 'openai']).default('extractive'),
  PARLEY_SUMMARY_URL: z.url().optional(),
  PARLEY_SUMMARY_API_KEY: z.string().min(1).optional(),
  PARLEY_SUMMARY_MODEL: z.string().min(1).default('gpt-4o-mini'),
  /** Largest recording accepted by download or upload. */
  PARLEY_RECORDING_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(512 * 1024 * 1024),
  /** ffmpeg binary used to decode recordings; found on PATH when unset. */
  PARLEY_FFMPEG_PATH: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** SMTP connection URL for outbound email (`smtp://user:pass@host:587?from=...`); unset: kept in `outbound_emails`. */
  PARLEY_SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  /** Checks every Chatwoot-face response against the seed's schemas; a violation answers 500 (tests). */
  PARLEY_CHECK_CHATWOOT_RESPONSES: booleanFromEnv.default(false),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

/** Parses the environment once at boot and fails fast with every problem listed. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return { ...parsed.data, ...overrides };
}

/** The base URL Parley puts into links it hands out. */
export function publicUrl(config: Config): string {
  const base = config.PARLEY_PUBLIC_URL ?? `http://localhost:${config.PORT}`;
  return base.replace(/\/+$/, '');
}
