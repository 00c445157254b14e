import type { InjectOptions } from 'fastify';
import type { TestApp } from '../app.js';
import { recordAnswer, recordRefusal, truncate, type FuzzReport, type RequestContext } from './findings.js';
import { mutate } from './mutators.js';
import { createRng, requestSeed } from './prng.js';
import { listRoutes, matchesRoute, type RouteRef } from './route-table.js';
import type { CorpusEntry, FaceCorpus, FuzzRequest } from './types.js';

export type { FuzzFinding, FuzzReport } from './findings.js';

export interface RunOptions {
  app: TestApp;
  corpus: FaceCorpus;
  seed: number;
  count: number;
  /** Route prefixes this face owns, for coverage (`/api/`, `/chatwoot/`...). */
  prefixes: string[];
}

function toInject(request: FuzzRequest): InjectOptions {
  const headers = { ...request.headers };
  if (request.rawBody !== undefined) {
    return { method: request.method, url: request.url, headers, payload: request.rawBody };
  }
  if (request.body === undefined) return { method: request.method, url: request.url, headers };
  headers['content-type'] ??= 'application/json';
  return { method: request.method, url: request.url, headers, payload: JSON.stringify(request.body) };
}

/** The face's routes that no hand-written entry exercises. */
function uncoveredRoutes(options: RunOptions): RouteRef[] {
  const routes = listRoutes(options.app.parley.server).filter((route) =>
    options.prefixes.some((prefix) => route.url.startsWith(prefix)),
  );
  const isCovered = (route: RouteRef) =>
    options.corpus.entries.some(
      (entry) =>
        entry.request.method === route.method &&
        (entry.route === route.url || matchesRoute(route.url, entry.request.url.split('?')[0] ?? '')),
    );
  return routes.filter((route) => !isCovered(route));
}

/** For routes no hand-written entry covers: path parameters from the seeded ids, an empty JSON body. */
function genericEntries(corpus: FaceCorpus, uncovered: RouteRef[]): CorpusEntry[] {
  return uncovered.map((route) => {
    const url = route.url
      .replace(/:(\w+)/g, (_match, name: string) => corpus.params[name] ?? '1')
      .replace(/\*$/, 'x');
    const token = corpus.credentials.tokens[0] ?? '';
    const request: FuzzRequest = {
      method: route.method as FuzzRequest['method'],
      url,
      headers: { [corpus.credentials.header]: `${corpus.credentials.scheme}${token}` },
      ...(route.method !== 'GET' && route.method !== 'DELETE' && { body: {} }),
    };
    return { route: route.url, request, isDestructive: route.method === 'DELETE', isGeneric: true };
  });
}

/** Sends one request and records its answer; returns the status (0 when it could not be sent) and body. */
async function send(app: TestApp, report: FuzzReport, context: RequestContext) {
  report.sent += 1;
  try {
    const response = await app.parley.server.inject(toInject(context.request));
    recordAnswer(report, context, response.statusCode, response.body);
    return { status: response.statusCode, text: response.body };
  } catch (error) {
    recordRefusal(report, context, error);
    return { status: 0, text: '' };
  }
}

/** Every entry once, unmutated, destructive ones last so they do not remove what the others read. */
async function runValidityPass(app: TestApp, report: FuzzReport, entries: CorpusEntry[]): Promise<void> {
  const ordered = [
    ...entries.filter((entry) => !entry.isDestructive),
    ...entries.filter((entry) => entry.isDestructive),
  ];
  for (const [index, entry] of ordered.entries()) {
    const route = `${entry.request.method} ${entry.route}`;
    const context = { seed: report.seed, index: -1 - index, route, mutations: [], request: entry.request };
    const { status, text } = await send(app, report, context);
    if (entry.isGeneric) continue;
    report.validTotal += 1;
    if (status >= 200 && status < 300) report.validOk += 1;
    else report.refusedEntries.push(`${route} → ${status} ${truncate(text, 160)}`);
  }
}

/**
 * Sends the corpus once unmutated, then `count` mutated requests, each from its own (seed, index)
 * PRNG. Every answer must be < 500, and every 4xx must be in the face's error format.
 */
export async function runFuzz(options: RunOptions): Promise<FuzzReport> {
  const { app, corpus, seed, count } = options;
  const started = Date.now();
  const uncovered = uncoveredRoutes(options);
  const entries = [...corpus.entries, ...genericEntries(corpus, uncovered)];
  const report: FuzzReport = {
    face: corpus.face,
    seed,
    sent: 0,
    statuses: {},
    validOk: 0,
    validTotal: 0,
    uncoveredRoutes: uncovered.map((route) => `${route.method} ${route.url}`),
    refusedEntries: [],
    findings: [],
    durationMs: 0,
  };
  await runValidityPass(app, report, entries);
  for (let index = 0; index < count; index += 1) {
    const rng = createRng(requestSeed(seed, index));
    const entry = rng.pick(entries);
    const { request, applied } = mutate(entry.request, rng, corpus.credentials, {
      isDestructive: entry.isDestructive ?? false,
    });
    const route = `${entry.request.method} ${entry.route}`;
    await send(app, report, { seed, index, route, mutations: applied, request });
  }
  report.durationMs = Date.now() - started;
  return report;
}
