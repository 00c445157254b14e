import type { Agent, Dispatcher } from 'undici';
import { ipLiteralOf, type AddressPolicy } from './address-policy.js';
import { discardBody } from './capped-body.js';
import { OutboundError } from './outbound-error.js';
import { isRedirect, nextHop, parseHttpUrl, type Hop } from './redirects.js';

export interface ExchangeContext {
  agent: Agent;
  policy: AddressPolicy;
  maxRedirects: number;
  signal: AbortSignal;
}

/** The response that ended the redirect chain, with its body still unread. */
export interface Exchange {
  response: Dispatcher.ResponseData;
  url: URL;
  redirects: number;
}

/**
 * Sends the first hop and follows redirects by hand. undici's own redirect support would
 * hop without asking us; here every hop goes back through the address checks. With
 * `maxRedirects` 0 the caller gets the 3xx itself.
 */
export async function exchange(context: ExchangeContext, first: Hop): Promise<Exchange> {
  let hop = first;
  for (let redirects = 0; ; redirects += 1) {
    const response = await dispatchHop(context, hop);
    const location = headerValue(response.headers.location);
    if (context.maxRedirects === 0 || !isRedirect(response.statusCode, location)) {
      return { response, url: hop.url, redirects };
    }
    discardBody(response.body);
    if (redirects >= context.maxRedirects) {
      throw new OutboundError('too_many_redirects', `more than ${context.maxRedirects} redirects`);
    }
    hop = nextHop(hop, response.statusCode, location);
  }
}

/** The first hop of a caller's request, with the scheme checked before anything is sent. */
export function firstHop(
  request: { method: string; url: string; headers?: Record<string, string>; body?: string | Buffer },
  userAgent: string | undefined,
): Hop {
  const headers = { ...request.headers };
  const hasUserAgent = Object.keys(headers).some((name) => name.toLowerCase() === 'user-agent');
  if (userAgent !== undefined && !hasUserAgent) headers['user-agent'] = userAgent;
  const hop: Hop = { url: parseHttpUrl(request.url), method: request.method.toUpperCase(), headers };
  return request.body === undefined ? hop : { ...hop, body: request.body };
}

async function dispatchHop(context: ExchangeContext, hop: Hop): Promise<Dispatcher.ResponseData> {
  // IP literals never reach the connector's DNS step; refusing here also avoids touching the pool.
  const literal = ipLiteralOf(hop.url.hostname);
  if (literal !== undefined && !context.policy.isAddressAllowed(literal)) {
    throw new OutboundError('blocked_address', `address ${literal} is not allowed`);
  }
  const response = await context.agent.request({
    origin: hop.url.origin,
    path: `${hop.url.pathname}${hop.url.search}`,
    method: hop.method,
    headers: hop.headers,
    body: hop.body ?? null,
    signal: context.signal,
  });
  // The deadline can abort the body before anyone reads it; whoever reads it later still
  // sees the error, but an unread body must not crash the process with an unhandled 'error'.
  response.body.on('error', () => undefined);
  return response;
}

export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Response headers as one lower-cased string per name; repeated headers are comma-joined. */
export function flattenHeaders(headers: Dispatcher.ResponseData['headers']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}
