/**
 * The one way the app talks to Parley: same-origin, cookie session, and the CSRF header the server
 * requires on cookie-authenticated writes (a custom header cannot be sent cross-site without a
 * CORS preflight, which /api refuses).
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface NativeErrorBody {
  error?: { code?: string; message?: string; details?: { path: string; message: string }[] };
}

export type Query = Record<string, string | number | null | undefined>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

async function toApiError(response: Response): Promise<ApiError> {
  let body: NativeErrorBody = {};
  try {
    body = (await response.json()) as NativeErrorBody;
  } catch {
    // Not the native error body (a proxy's page, say): the status alone must do.
  }
  const message = body.error?.message ?? `${String(response.status)} ${response.statusText}`;
  return new ApiError(response.status, body.error?.code ?? 'http_error', message, body.error?.details);
}

export async function api<T>(
  path: string,
  init: { method?: string; json?: unknown; body?: FormData; signal?: AbortSignal } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'x-parley-csrf': '1' };
  let body: BodyInit | undefined = init.body;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  }
  const response = await fetch(`/api${path}`, {
    method: init.method ?? 'GET',
    credentials: 'same-origin',
    headers,
    body: body ?? null,
    signal: init.signal ?? null,
  });
  if (!response.ok) throw await toApiError(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export function accountPath(accountId: number, path: string): string {
  return `/v1/accounts/${String(accountId)}${path}`;
}
