import type { FastifyError } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ZodError } from 'zod';
import { isDomainError, type ErrorCode, type ErrorDetail } from '../errors.js';
import { sqlStateOf } from '../db/database-errors.js';

/** A failure in face-neutral terms; each face renders it in its own error body. */
export interface HttpProblem {
  status: number;
  code:
    | ErrorCode
    | 'INTERNAL'
    | 'NOT_ACCEPTABLE'
    | 'UNSUPPORTED_MEDIA_TYPE'
    | 'METHOD_NOT_ALLOWED'
    /** Another request with the same Idempotency-Key is still running (Stripe's code). */
    | 'IDEMPOTENCY_KEY_IN_USE'
    /** An Idempotency-Key reused with a different request, or whose first request's outcome was lost. */
    | 'IDEMPOTENCY_KEY_REUSED';
  message: string;
  details: ErrorDetail[];
  /** The original error, for logging only; never sent to the client. */
  cause?: unknown;
}

const fastifyCodes: Record<string, Pick<HttpProblem, 'status' | 'code' | 'message'>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    message: 'Request body is too large',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'Unsupported Content-Type',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: 'BAD_REQUEST',
    message: "Body cannot be empty when Content-Type is 'application/json'",
  },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'BAD_REQUEST', message: 'Body is not valid JSON' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, code: 'BAD_REQUEST', message: 'A path parameter is too long' },
  FST_ERR_BAD_URL: { status: 400, code: 'BAD_REQUEST', message: 'The URL is not validly encoded' },
};

/** Thrown by HTTP plumbing (hooks, plugins) that decides an answer no DomainError code describes. */
export class ProblemError extends Error {
  readonly problem: HttpProblem;

  constructor(problem: HttpProblem) {
    super(problem.message);
    this.name = 'ProblemError';
    this.problem = problem;
  }
}

function isFastifyError(error: unknown): error is FastifyError {
  return typeof error === 'object' && error !== null && 'code' in error && 'statusCode' in error;
}

/** Maps anything thrown while handling a request to a problem; unknown errors become 500. */
export function toProblem(error: unknown): HttpProblem {
  if (isDomainError(error)) {
    return { status: error.status, code: error.code, message: error.message, details: error.details };
  }
  if (error instanceof ProblemError) return error.problem;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const context = (error as { validationContext?: string }).validationContext ?? 'body';
    const details = error.validation.map((issue) => ({
      path: [context, ...issue.instancePath.split('/').filter(Boolean)].join('.'),
      message: issue.message ?? 'is invalid',
    }));
    const summary = details.map((detail) => `${detail.path}: ${detail.message}`).join('; ');
    return { status: 422, code: 'VALIDATION_FAILED', message: `Invalid request: ${summary}`, details };
  }
  if (isFastifyError(error)) {
    const known = fastifyCodes[error.code];
    if (known) return { ...known, details: [] };
    if (error instanceof SyntaxError || error.code.startsWith('FST_ERR_CTP')) {
      return { status: 400, code: 'BAD_REQUEST', message: error.message, details: [] };
    }
    const status = error.statusCode ?? 500;
    if (status === 429) return { status, code: 'RATE_LIMITED', message: error.message, details: [] };
    if (status >= 400 && status < 500) {
      return {
        status,
        code: status === 401 ? 'UNAUTHENTICATED' : 'BAD_REQUEST',
        message: error.message,
        details: [],
      };
    }
  }
  if (error instanceof SyntaxError) {
    return { status: 400, code: 'BAD_REQUEST', message: 'Body is not valid JSON', details: [] };
  }
  if (error instanceof ZodError) return fromZodError(error);
  if (isMalformedMultipart(error)) {
    return {
      status: 400,
      code: 'BAD_REQUEST',
      message: `Malformed multipart body: ${error.message}`,
      details: [],
    };
  }
  const databaseProblem = fromDatabaseError(error);
  if (databaseProblem) return databaseProblem;
  return { status: 500, code: 'INTERNAL', message: 'Internal server error', details: [], cause: error };
}

/**
 * A schema parse inside a handler (a querystring read by hand, such as the blob routes' `?expires=1&
 * expires=2`, which arrives as an array) failed: the request does not have the shape the route reads,
 * so it is the client's mistake. Schemas handed to Fastify are reported as 422 above; this is the
 * catch-all for the ones parsed by hand. Response serialization failures are not ZodErrors (the type
 * provider wraps them), so a bug in our own output still answers 500.
 */
function fromZodError(error: ZodError): HttpProblem {
  const details = error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  const summary = details.map((detail) => `${detail.path || '(root)'}: ${detail.message}`).join('; ');
  return { status: 400, code: 'BAD_REQUEST', message: `Malformed request: ${summary}`, details };
}

/**
 * The last line of defence for input the validators let through but PostgreSQL refuses (a NUL
 * character in text, a value out of a column's range, a unique value taken by a concurrent
 * request). The statement failed, so its transaction wrote nothing: this is the client's
 * mistake or a race, never a 500.
 */
function fromDatabaseError(error: unknown): HttpProblem | undefined {
  const state = sqlStateOf(error);
  if (!state) return undefined;
  if (state.startsWith('22')) {
    return {
      status: 422,
      code: 'VALIDATION_FAILED',
      message:
        'A value in the request cannot be stored (for example a NUL character, or a number out of range)',
      details: [],
      cause: error,
    };
  }
  if (state === '23505') {
    return {
      status: 409,
      code: 'CONFLICT',
      message: 'Another record already has this unique value',
      details: [],
      cause: error,
    };
  }
  if (state === '23503') {
    return {
      status: 422,
      code: 'VALIDATION_FAILED',
      message: 'The request refers to a record that does not exist',
      details: [],
      cause: error,
    };
  }
  return undefined;
}

// The multipart parser (busboy, under @fastify/multipart) reports a broken body with plain
// Errors rather than HTTP errors; these are the client's mistake.
const MALFORMED_MULTIPART =
  /^(Unexpected end of (form|multipart data)|Malformed part header|Multipart: |Boundary required)/;

function isMalformedMultipart(error: unknown): error is Error {
  return error instanceof Error && MALFORMED_MULTIPART.test(error.message);
}
