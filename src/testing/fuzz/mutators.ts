import type { Rng } from './prng.js';
import type { Credentials, FuzzRequest, HttpMethod } from './types.js';
import { bodyMutators } from './body-mutators.js';
import type { Mutator } from './mutator.js';
import { oddIds, oddStrings } from './values.js';

const ODD_CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/xml',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/JSON',
  'application/vnd.api+json',
  '',
  'multipart/form-data',
  'multipart/form-data; boundary=',
  'application/octet-stream',
  'image/png',
];

/** Percent-encodes, writing lone surrogates as the invalid UTF-8 bytes they would be (`%ED%A0%80`). */
function percentEncode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '')) + '%ED%A0%80';
  }
}

function formEncode(body: unknown): string {
  if (body === null || typeof body !== 'object') return `value=${percentEncode(String(body))}`;
  return Object.entries(body as Record<string, unknown>)
    .map(([key, value]) => {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      return `${percentEncode(key)}=${percentEncode(text)}`;
    })
    .join('&');
}

function multipartOf(body: unknown, rng: Rng): { boundary: string; payload: Buffer } {
  const boundary = `fuzz${rng.int(1e9)}`;
  const parts: string[] = [];
  const fields =
    body !== null && typeof body === 'object' ? Object.entries(body as Record<string, unknown>) : [];
  for (const [key, value] of fields) {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="${key}"\r\n\r\n${text}\r\n`);
  }
  if (rng.chance(0.5)) {
    const name = rng.pick(['../../etc/evil.html', 'a.wav', '', 'x'.repeat(300), 'é.txt']);
    const type = rng.pick(['text/html', 'audio/wav', 'application/octet-stream', '']);
    parts.push(
      `--${boundary}\r\nContent-Disposition: form-data; name="${rng.pick(['attachments[]', 'file', 'attachments'])}"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n<html>hi</html>\r\n`,
    );
  }
  const end = rng.chance(0.8) ? `--${boundary}--\r\n` : '';
  return { boundary, payload: Buffer.from(parts.join('') + end) };
}

const contentMutators: Mutator[] = [
  {
    name: 'invalid-json',
    weight: 3,
    apply: (request, rng) => {
      const text = JSON.stringify(request.body ?? {});
      const broken = rng.pick([
        text.slice(0, Math.max(1, rng.int(text.length))),
        `${text},`,
        `${text}${text}`,
        text.replace(/"/g, "'"),
        '{"a":1,"a":2}',
        '{"__proto__":{"isAdmin":true}}',
        '{"constructor":{"prototype":{"x":1}}}',
        '\uFEFF' + text,
        'NaN',
        '',
        '[',
        '{"a":"\\ud800"}',
        '{"a":"\\u0000"}',
        '{"a":1e999}',
        '{"a":-1e999}',
        '{"a":123456789012345678901234567890}',
      ]);
      return withRaw(request, broken, 'application/json');
    },
  },
  {
    name: 'wrong-content-type',
    weight: 3,
    apply: (request, rng) =>
      withRaw(request, JSON.stringify(request.body ?? {}), rng.pick(ODD_CONTENT_TYPES)),
  },
  {
    name: 'form-encoded',
    weight: 2,
    apply: (request) => withRaw(request, formEncode(request.body ?? {}), 'application/x-www-form-urlencoded'),
  },
  {
    name: 'multipart',
    weight: 2,
    apply: (request, rng) => {
      const { boundary, payload } = multipartOf(request.body ?? {}, rng);
      const type = rng.chance(0.9) ? `multipart/form-data; boundary=${boundary}` : 'multipart/form-data';
      return withRaw(request, payload, type);
    },
  },
  {
    name: 'empty-body',
    weight: 2,
    apply: (request, rng) =>
      withRaw(request, '', rng.pick(['application/json', 'text/plain', 'multipart/form-data; boundary=x'])),
  },
];

function withRaw(request: FuzzRequest, raw: string | Buffer, contentType: string): FuzzRequest {
  const headers = { ...request.headers };
  if (contentType) headers['content-type'] = contentType;
  else delete headers['content-type'];
  const { body: _dropped, ...rest } = request;
  return { ...rest, headers, rawBody: raw };
}

function splitUrl(url: string): { path: string; query: string } {
  const at = url.indexOf('?');
  return at < 0 ? { path: url, query: '' } : { path: url.slice(0, at), query: url.slice(at + 1) };
}

const urlMutators: Mutator[] = [
  {
    name: 'odd-path-id',
    weight: 6,
    apply: (request, rng) => {
      const { path, query } = splitUrl(request.url);
      const segments = path.split('/');
      const idIndexes = segments
        .map((segment, index) => ({ segment, index }))
        .filter(({ segment, index }) => index > 2 && /^[\w-]{1,64}$/.test(segment) && /\d/.test(segment));
      const target = idIndexes.length > 0 ? rng.pick(idIndexes).index : segments.length - 1;
      segments[target] = rng.pick(oddIds);
      return { ...request, url: segments.join('/') + (query ? `?${query}` : '') };
    },
  },
  {
    name: 'odd-query',
    weight: 4,
    apply: (request, rng) => {
      const { path, query } = splitUrl(request.url);
      const names = [
        ...query
          .split('&')
          .filter(Boolean)
          .map((pair) => pair.split('=')[0] ?? ''),
        'page',
        'limit',
        'cursor',
        'perPage',
        'q',
        'status',
        'labels[]',
        'before',
        'after',
        'sort',
        'access_token',
      ];
      const name = rng.pick(names);
      const value = rng.pick([...oddIds, ...oddStrings.slice(0, 30).map(percentEncode)]);
      const extra = rng.chance(0.5) ? `${name}=${value}&${name}=${rng.pick(oddIds)}` : `${name}[a]=${value}`;
      return { ...request, url: `${path}?${[query, extra].filter(Boolean).join('&')}` };
    },
  },
  {
    name: 'odd-path',
    weight: 1,
    apply: (request, rng) => {
      const { path, query } = splitUrl(request.url);
      const odd = rng.pick([
        `${path}/`,
        `${path}//`,
        path.toUpperCase(),
        `${path}/%2e%2e`,
        `${path}%00`,
        `${path}/extra`,
      ]);
      return { ...request, url: odd + (query ? `?${query}` : '') };
    },
  },
  {
    name: 'other-method',
    weight: 1,
    apply: (request, rng) => ({
      ...request,
      // Never DELETE: a GET turned into a DELETE would remove the seeded rows the corpus reads.
      method: rng.pick<HttpMethod>(['GET', 'POST', 'PUT', 'PATCH', 'HEAD']),
    }),
  },
];

const authMutators: Mutator[] = [
  {
    name: 'drop-auth',
    weight: 2,
    apply: (request, _rng, credentials) => ({
      ...request,
      headers: withoutCredentials(request.headers, credentials),
    }),
  },
  {
    name: 'invalid-auth',
    weight: 3,
    apply: (request, rng, credentials) => {
      const token = rng.pick([
        'pk_invalid',
        'pat_',
        '',
        'Bearer',
        'Bearer ',
        'Basic dXNlcjpwYXNz',
        'x'.repeat(8_000),
        'pk_' + 'a'.repeat(64),
        'abt_zzz',
        'null',
        ...credentials.foreignTokens,
      ]);
      const headers = withoutCredentials(request.headers, credentials);
      headers[credentials.header] = rng.chance(0.5) ? `${credentials.scheme}${token}` : token;
      return { ...request, headers };
    },
  },
  {
    name: 'duplicated-auth',
    weight: 1,
    apply: (request, rng, credentials) => {
      const headers = withoutCredentials(request.headers, credentials);
      const token = rng.pick(credentials.tokens);
      headers[credentials.header] = [`${credentials.scheme}${token}`, `${credentials.scheme}pk_other`];
      return { ...request, headers };
    },
  },
  {
    name: 'header-case',
    weight: 1,
    apply: (request, rng) => {
      const headers: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(request.headers)) {
        headers[rng.chance(0.5) ? name.toUpperCase() : name] = value;
      }
      headers[rng.pick(['X-Forwarded-For', 'Accept', 'Accept-Encoding', 'Range', 'Origin'])] = rng.pick([
        '1.2.3.4, 5.6.7.8',
        '*/*;q=abc',
        'bytes=-1',
        'bytes=5-1',
        'null',
        'gzip;q=2',
      ]);
      return { ...request, headers };
    },
  },
];

function withoutCredentials(
  headers: FuzzRequest['headers'],
  credentials: Credentials,
): FuzzRequest['headers'] {
  const copy = { ...headers };
  Reflect.deleteProperty(copy, credentials.header);
  return copy;
}

const mutators = [...bodyMutators, ...contentMutators, ...urlMutators, ...authMutators];

/**
 * Mutations that can aim a request at other rows (other ids in the path or the body, another
 * method). A destructive request gets none of them, so it only ever removes the spare rows it
 * names, and the seeded account stays whole for the rest of the run.
 */
const RETARGETING = new Set([
  'retype-field',
  'boundary-value',
  'all-numbers-extreme',
  'insert-field',
  'replace-body',
  'odd-path-id',
  'odd-path',
  'other-method',
]);
const safeMutators = mutators.filter((mutator) => !RETARGETING.has(mutator.name));

function pickMutator(rng: Rng, pool: Mutator[]): Mutator {
  const total = pool.reduce((sum, mutator) => sum + mutator.weight, 0);
  let roll = rng.int(total);
  for (const mutator of pool) {
    roll -= mutator.weight;
    if (roll < 0) return mutator;
  }
  return pool[0] as Mutator;
}

/**
 * Applies 0–3 mutations: none one time in ten (valid requests stay in the mix), mostly one, as
 * each extra mutation makes it likelier that validation refuses the request before the handler.
 * A request with a JSON body gets a body mutation more often than not: that is where handlers
 * meet values their schemas let through.
 */
export function mutate(
  request: FuzzRequest,
  rng: Rng,
  credentials: Credentials,
  options: { isDestructive?: boolean } = {},
): { request: FuzzRequest; applied: string[] } {
  const pool = options.isDestructive ? safeMutators : mutators;
  const bodyPool = pool.filter((mutator) => bodyMutators.includes(mutator));
  const hasBody = request.body !== undefined && bodyPool.length > 0;
  const roll = rng.next();
  const count = roll < 0.1 ? 0 : roll < 0.6 ? 1 : roll < 0.9 ? 2 : 3;
  let current = { ...request, headers: { ...request.headers } };
  const applied: string[] = [];
  for (let step = 0; step < count; step += 1) {
    const mutator = pickMutator(rng, hasBody && rng.chance(0.6) ? bodyPool : pool);
    current = mutator.apply(current, rng, credentials);
    applied.push(mutator.name);
  }
  return { request: current, applied };
}
