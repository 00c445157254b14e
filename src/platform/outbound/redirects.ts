import { OutboundError } from './outbound-error.js';

/** One request on the way to the final response; each redirect produces the next. */
export interface Hop {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);

// Credentials meant for one origin must not leak to whatever origin a redirect names.
const originBoundHeaders = new Set(['authorization', 'cookie', 'proxy-authorization']);

// Describe the dropped body; sending them with a bodiless GET would be a lie.
const bodyHeaders = new Set(['content-type', 'content-length', 'content-encoding', 'content-language']);

/** Parses a URL and admits only http(s), the only schemes a webhook or download may use. */
export function parseHttpUrl(raw: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch (error) {
    throw new OutboundError('invalid_url', `not a valid URL: ${raw}`, { cause: error });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OutboundError('invalid_url', `unsupported scheme ${url.protocol}`);
  }
  return url;
}

export function isRedirect(status: number, location: string | undefined): location is string {
  return redirectStatuses.has(status) && location !== undefined && location.length > 0;
}

/**
 * The request a redirect asks for. 303, and 301/302 after a POST, turn into a bodiless GET as
 * browsers do; 307/308 replay the original method and body.
 */
export function nextHop(current: Hop, status: number, location: string): Hop {
  const url = parseHttpUrl(location, current.url);
  const becomesGet =
    (status === 303 && current.method !== 'HEAD') ||
    ((status === 301 || status === 302) && current.method === 'POST');
  const crossOrigin = url.origin !== current.url.origin;
  const headers = Object.fromEntries(
    Object.entries(current.headers).filter(([name]) => {
      const lower = name.toLowerCase();
      return !(crossOrigin && originBoundHeaders.has(lower)) && !(becomesGet && bodyHeaders.has(lower));
    }),
  );
  if (becomesGet) return { url, method: 'GET', headers };
  return {
    url,
    method: current.method,
    headers,
    ...(current.body === undefined ? {} : { body: current.body }),
  };
}
