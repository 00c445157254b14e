import { faceOfPath, isFaceErrorBody } from './error-formats.js';
import type { FuzzRequest } from './types.js';

const SNIPPET = 400;

/** A request that broke a rule, with what it takes to replay it. */
export interface FuzzFinding {
  kind: '5xx' | 'error-format' | 'inject-error';
  seed: number;
  /** The request's index in the run; negative in the validity pass (entry `-1 - index`). */
  index: number;
  route: string;
  mutations: string[];
  method: string;
  url: string;
  headers: Record<string, string | string[]>;
  body: string;
  status: number;
  response: string;
  /** Groups findings with one cause: the status, the route and the start of the message. */
  signature: string;
}

export interface FuzzReport {
  face: string;
  seed: number;
  sent: number;
  statuses: Record<string, number>;
  /** How many hand-written entries answered 2xx when sent unmutated: a corpus of 4xx fuzzes little. */
  validOk: number;
  validTotal: number;
  uncoveredRoutes: string[];
  /** Hand-written entries that did not answer 2xx unmutated, with their answer. */
  refusedEntries: string[];
  findings: FuzzFinding[];
  durationMs: number;
}

/** What identifies one request of a run, for its findings. */
export interface RequestContext {
  seed: number;
  index: number;
  route: string;
  mutations: string[];
  request: FuzzRequest;
}

export function truncate(text: string, length = SNIPPET): string {
  return text.length > length ? `${text.slice(0, length)}… (${text.length} chars)` : text;
}

function describeBody(request: FuzzRequest): string {
  if (request.rawBody !== undefined) return truncate(request.rawBody.toString());
  return request.body === undefined ? '' : truncate(JSON.stringify(request.body));
}

function signatureOf(route: string, status: number, response: string): string {
  let message = response;
  try {
    const body = JSON.parse(response) as {
      code?: string;
      error?: { message?: string };
      description?: string;
      message?: string;
    };
    // Fastify's own errors carry a stable code; their message repeats the (fuzzed) URL.
    message = body.code ?? body.error?.message ?? body.description ?? body.message ?? response;
  } catch {
    // not JSON: the raw text is the message
  }
  const normalized = message.replace(/\d+/g, 'N').replace(/(.)\1{7,}/g, '$1…');
  return `${status} ${route} ${normalized.slice(0, 80)}`;
}

function finding(
  context: RequestContext,
  kind: FuzzFinding['kind'],
  status: number,
  response: string,
  signature: string,
): FuzzFinding {
  const { request } = context;
  return {
    kind,
    seed: context.seed,
    index: context.index,
    route: context.route,
    mutations: context.mutations,
    method: request.method,
    url: truncate(request.url, 300),
    headers: Object.fromEntries(
      Object.entries(request.headers).map(([name, value]) => [
        name,
        Array.isArray(value) ? value : truncate(value, 120),
      ]),
    ),
    body: describeBody(request),
    status,
    response: truncate(response),
    signature,
  };
}

const HTML_PAGES = /^\/chatwoot\/(hc|survey)\//;

/** Counts an answer and records it when it breaks a rule: a 5xx, or a 4xx outside the face's format. */
export function recordAnswer(
  report: FuzzReport,
  context: RequestContext,
  status: number,
  text: string,
): void {
  const bucket = `${Math.floor(status / 100)}xx`;
  report.statuses[bucket] = (report.statuses[bucket] ?? 0) + 1;
  report.statuses[String(status)] = (report.statuses[String(status)] ?? 0) + 1;
  const { request } = context;
  if (status >= 500) {
    report.findings.push(finding(context, '5xx', status, text, signatureOf(context.route, status, text)));
    return;
  }
  const path = request.url.split('?')[0] ?? '';
  const face = faceOfPath(path);
  // Pages people open in a browser (help center, CSAT survey) answer their errors as HTML pages.
  if (HTML_PAGES.test(path) && text.startsWith('<!doctype html>')) return;
  if (status >= 400 && !isFaceErrorBody(face, request.method, text)) {
    const signature = `format ${signatureOf(context.route, status, text)}`;
    report.findings.push(finding(context, 'error-format', status, text, signature));
  }
}

/** A request `inject` could not even send (light-my-request refuses some header bytes): not a finding. */
export function recordRefusal(report: FuzzReport, context: RequestContext, error: unknown): void {
  report.statuses.refused = (report.statuses.refused ?? 0) + 1;
  const message = error instanceof Error ? error.message : String(error);
  if (/header|Invalid character|ERR_INVALID/i.test(message)) return;
  report.findings.push(finding(context, 'inject-error', 0, message, `inject ${message.slice(0, 80)}`));
}
