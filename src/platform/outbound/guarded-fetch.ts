import type { Readable } from 'node:stream';
import { Agent } from 'undici';
import { createAddressPolicy } from './address-policy.js';
import { cappedStream, discardBody, readCapped } from './capped-body.js';
import { Deadline } from './deadline.js';
import { exchange, firstHop, flattenHeaders, type ExchangeContext } from './exchange.js';
import { createGuardedConnector } from './guarded-connector.js';
import { OutboundError, toOutboundError } from './outbound-error.js';

export { OutboundError, isOutboundError, type OutboundErrorCode } from './outbound-error.js';

export interface OutboundOptions {
  /** Hostnames, IPs or CIDRs that may be reached although private (PARLEY_OUTBOUND_ALLOWLIST). */
  allowlist: string[];
  /** One deadline for the whole call: every hop's DNS, connect, headers and body. */
  timeoutMs: number;
  /** `send` keeps at most this much body; the default cap for `stream`. */
  maxResponseBytes: number;
  /** 0 returns a 3xx response as is instead of following it. */
  maxRedirects: number;
  userAgent?: string;
}

export interface OutboundRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  signal?: AbortSignal;
}

export interface OutboundResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  truncated: boolean;
  latencyMs: number;
  finalUrl: string;
  redirects: number;
}

export interface OutboundStreamRequest extends OutboundRequest {
  /** Defaults to `maxResponseBytes`. */
  maxBytes?: number;
}

export interface OutboundStreamResponse {
  status: number;
  headers: Record<string, string>;
  /** Fails with OutboundError `too_large` past the cap, and `timeout` when the deadline expires. */
  body: Readable;
  finalUrl: string;
  redirects: number;
}

export interface OutboundClient {
  send(request: OutboundRequest): Promise<OutboundResponse>;
  stream(request: OutboundStreamRequest): Promise<OutboundStreamResponse>;
  close(): Promise<void>;
}

/**
 * The only way Parley code should call URLs that users or customers supplied (webhooks,
 * recording downloads): every hop is checked against the address policy, bounded in time
 * and bounded in size.
 */
export function createOutboundClient(options: OutboundOptions): OutboundClient {
  const policy = createAddressPolicy(options.allowlist);
  const agent = new Agent({ connect: createGuardedConnector(policy, options.timeoutMs) });
  const contextFor = (deadline: Deadline): ExchangeContext => ({
    agent,
    policy,
    maxRedirects: options.maxRedirects,
    signal: deadline.signal,
  });

  async function send(request: OutboundRequest): Promise<OutboundResponse> {
    const started = performance.now();
    const deadline = new Deadline(options.timeoutMs, request.signal);
    try {
      const { response, url, redirects } = await exchange(
        contextFor(deadline),
        firstHop(request, options.userAgent),
      );
      const { body, truncated } = await readCapped(response.body, options.maxResponseBytes);
      const status = response.statusCode;
      const headers = flattenHeaders(response.headers);
      const latencyMs = Math.round(performance.now() - started);
      return { status, headers, body, truncated, latencyMs, finalUrl: url.href, redirects };
    } catch (error) {
      throw toOutboundError(error, deadline.cause);
    } finally {
      deadline.dispose();
    }
  }

  async function stream(request: OutboundStreamRequest): Promise<OutboundStreamResponse> {
    const maxBytes = request.maxBytes ?? options.maxResponseBytes;
    // The deadline outlives this function: it keeps running until the caller finishes the body.
    const deadline = new Deadline(options.timeoutMs, request.signal);
    try {
      const { response, url, redirects } = await exchange(
        contextFor(deadline),
        firstHop(request, options.userAgent),
      );
      const headers = flattenHeaders(response.headers);
      refuseDeclaredOversize(response.body, headers, maxBytes);
      const body = cappedStream(response.body, maxBytes, (error) => toOutboundError(error, deadline.cause));
      body.once('close', () => {
        deadline.dispose();
      });
      return { status: response.statusCode, headers, body, finalUrl: url.href, redirects };
    } catch (error) {
      deadline.dispose();
      throw toOutboundError(error, deadline.cause);
    }
  }

  return { send, stream, close: () => agent.close() };
}

// Fail before the first byte when the server already admits the body is too big.
function refuseDeclaredOversize(body: Readable, headers: Record<string, string>, maxBytes: number): void {
  const declared = Number(headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    discardBody(body);
    throw new OutboundError('too_large', `content-length ${declared} exceeds ${maxBytes} bytes`);
  }
}
