/**
 * Every way an outbound call can fail, as one closed set: webhook delivery logs and
 * retry decisions switch on `code`, never on undici's or libuv's error zoo.
 */
export type OutboundErrorCode =
  | 'invalid_url'
  | 'blocked_address'
  | 'dns_failed'
  | 'timeout'
  | 'aborted'
  | 'too_large'
  | 'too_many_redirects'
  | 'connect_failed'
  | 'protocol_error';

export class OutboundError extends Error {
  readonly code: OutboundErrorCode;

  constructor(code: OutboundErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OutboundError';
    this.code = code;
  }
}

export function isOutboundError(error: unknown): error is OutboundError {
  return error instanceof OutboundError;
}

/** Why the shared deadline fired, if it did; decides how an abort is reported. */
export type AbortCause = 'timeout' | 'aborted' | undefined;

// The server spoke broken HTTP, as opposed to the network failing underneath it.
const protocolCodes = new Set([
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'UND_ERR_RES_EXCEEDED_MAX_SIZE',
  'UND_ERR_HEADERS_OVERFLOW',
  'UND_ERR_INFO',
  'UND_ERR_INVALID_ARG',
  'UND_ERR_NOT_SUPPORTED',
]);

const timeoutCodes = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

function errorCodeOf(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return '';
}

/**
 * Translates whatever undici, the socket or the abort machinery threw. The abort cause is
 * checked first because an aborted request surfaces as assorted abort errors, whichever
 * layer noticed first.
 */
export function toOutboundError(error: unknown, abortCause: AbortCause): OutboundError {
  if (error instanceof OutboundError) return error;
  if (abortCause === 'timeout')
    return new OutboundError('timeout', 'request deadline exceeded', { cause: error });
  if (abortCause === 'aborted')
    return new OutboundError('aborted', 'request aborted by caller', { cause: error });

  const code = errorCodeOf(error);
  const detail = error instanceof Error ? error.message : String(error);
  if (timeoutCodes.has(code)) return new OutboundError('timeout', detail, { cause: error });
  if (protocolCodes.has(code) || code.startsWith('HPE_')) {
    return new OutboundError('protocol_error', detail, { cause: error });
  }
  return new OutboundError('connect_failed', detail, { cause: error });
}
