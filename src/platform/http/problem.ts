import type { FastifyError } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isDomainError, type ErrorCode, type ErrorDetail } from '../errors.js';

/** A failure in face-neutral terms; each face renders it in its own error body. */
export interface HttpProblem {
  status: number;
  code: ErrorCode | 'INTERNAL' | 'NOT_ACCEPTABLE' | 'UNSUPPORTED_MEDIA_TYPE' | 'METHOD_NOT_ALLOWED';
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
};

function isFastifyError(error: unknown): error is FastifyError {
  return typeof error === 'object' && error !== null && 'code' in error && 'statusCode' in error;
}

/** Maps anything thrown while handling a request to a problem; unknown errors become 500. */
export function toProblem(error: unknown): HttpProblem {
  if (isDomainError(error)) {
    return { status: error.status, code: error.code, message: error.message, details: error.details };
  }
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
  return { status: 500, code: 'INTERNAL', message: 'Internal server error', details: [], cause: error };
}
