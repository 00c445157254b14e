/**
 * The HTTP exchange shared by the OpenAI-compatible engines (speech-to-text and chat). The URL is
 * set by the operator, not by a tenant, so it may point at a private host (a whisper.cpp or Ollama
 * box on the LAN) and skips the outbound address guard; it still gets a deadline and a size cap.
 */
export interface OpenAiCompatibleTarget {
  /** Base URL; `/v1/...` is appended unless the base already ends with `/v1`. */
  baseUrl: string;
  apiKey?: string | undefined;
  timeoutMs: number;
}

export class EngineHttpError extends Error {
  override name = 'EngineHttpError';
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

export function endpointUrl(baseUrl: string, path: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  return base.endsWith('/v1') ? `${base}${path}` : `${base}/v1${path}`;
}

export async function postForJson(
  target: OpenAiCompatibleTarget,
  path: string,
  body: FormData | string,
  what: string,
  signal?: AbortSignal,
): Promise<unknown> {
  const url = endpointUrl(target.baseUrl, path);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (typeof body === 'string') headers['content-type'] = 'application/json';
  if (target.apiKey !== undefined) headers.authorization = `Bearer ${target.apiKey}`;
  const timeout = AbortSignal.timeout(target.timeoutMs);
  const combined = signal === undefined ? timeout : AbortSignal.any([signal, timeout]);

  let response: Response;
  let text: string;
  try {
    response = await fetch(url, { method: 'POST', headers, body, signal: combined, redirect: 'error' });
    text = await readBounded(response);
  } catch (error) {
    if (timeout.aborted) {
      throw new EngineHttpError(
        `${what} at ${safeUrl(url)} did not answer within ${target.timeoutMs} ms`,
        null,
      );
    }
    if (signal?.aborted) throw new EngineHttpError(`${what} was cancelled`, null);
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new EngineHttpError(
      `${what} at ${safeUrl(url)} could not be reached: ${cause?.code ?? cause?.message ?? (error as Error).message}`,
      null,
    );
  }
  if (!response.ok) {
    throw new EngineHttpError(
      `${what} at ${safeUrl(url)} answered ${response.status}: ${errorMessageOf(text) || response.statusText}`,
      response.status,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new EngineHttpError(
      `${what} at ${safeUrl(url)} answered with something that is not JSON`,
      response.status,
    );
  }
}

async function readBounded(response: Response): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > MAX_ANSWER_BYTES) throw new Error(`answer too large (${declared} bytes)`);
  const text = await response.text();
  if (text.length > MAX_ANSWER_BYTES) throw new Error(`answer too large (${text.length} characters)`);
  return text;
}

/** OpenAI-style `{"error":{"message":...}}`, or a short plain body. */
function errorMessageOf(text: string): string {
  try {
    const parsed = JSON.parse(text) as {
      error?: { message?: unknown } | string;
      message?: unknown;
      detail?: unknown;
    };
    if (typeof parsed.error === 'string') return parsed.error;
    if (typeof parsed.error?.message === 'string') return parsed.error.message;
    if (typeof parsed.message === 'string') return parsed.message;
    if (typeof parsed.detail === 'string') return parsed.detail;
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.trim().slice(0, 300);
}

/** Credentials can sit in a URL's user-info or query; never echo them into a call's failure reason. */
function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    return parsed.toString();
  } catch {
    return '<invalid url>';
  }
}
