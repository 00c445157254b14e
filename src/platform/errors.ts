/**
 * One error type for the whole core. Faces render it in their own error body;
 * the code decides the HTTP status through one table.
 */
export const errorStatus = {
  /** The request is malformed or a value is out of range. */
  VALIDATION_FAILED: 422,
  /** The request body or parameters cannot be parsed at all. */
  BAD_REQUEST: 400,
  /** No credentials, or credentials that match nothing. */
  UNAUTHENTICATED: 401,
  /** Valid credentials without the role for this operation. */
  FORBIDDEN: 403,
  /** The resource does not exist in the caller's account (or exists only in another one). */
  NOT_FOUND: 404,
  /** The change conflicts with current state (duplicate, already running). */
  CONFLICT: 409,
  /** The body is larger than the configured limit. */
  PAYLOAD_TOO_LARGE: 413,
  /** A WebSocket route was asked for without an Upgrade request. */
  UPGRADE_REQUIRED: 426,
  /** Too many requests for this token and route class. */
  RATE_LIMITED: 429,
  /** The operation cannot run in the resource's current state. */
  INVALID_STATE: 409,
  /** A dependency (database, provider) is not available. */
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export interface ErrorDetail {
  path: string;
  message: string;
}

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetail[];

  constructor(code: ErrorCode, message: string, details: ErrorDetail[] = []) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

export function notFound(what: string): DomainError {
  return new DomainError('NOT_FOUND', `${what} not found`);
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
