import type { FastifyInstance } from 'fastify';
import { toProblem, type HttpProblem } from '../../platform/http/problem.js';

/**
 * Modjo documents no error schema, only "400: look in the response body for hints" and "401: API
 * key is missing or invalid". Modjo's API is a NestJS service, so errors take NestJS's shape
 * (`statusCode`, `error`, `message`) plus the hints, one per invalid field.
 */
export interface ModjoErrorBody {
  statusCode: number;
  error: string;
  message: string;
  hints?: string[];
}

const reasons: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Modjo answers every invalid request with 400, where Parley's core says 422. */
export function modjoStatus(problem: HttpProblem): number {
  return problem.status === 422 ? 400 : problem.status;
}

export function renderModjoError(problem: HttpProblem): ModjoErrorBody {
  const statusCode = modjoStatus(problem);
  const hints = problem.details.map((detail) => {
    const field = detail.path.replace(/^(body|querystring|params)\.?/, '');
    return field ? `${field}: ${detail.message}` : detail.message;
  });
  return {
    statusCode,
    error: reasons[statusCode] ?? 'Error',
    message: problem.message,
    ...(hints.length > 0 && { hints }),
  };
}

export function installModjoErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const problem = toProblem(error);
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: problem.code, status: problem.status }, problem.message);
    return reply.status(modjoStatus(problem)).send(renderModjoError(problem));
  });
  app.setNotFoundHandler((request, reply) => {
    const problem: HttpProblem = {
      status: 404,
      code: 'NOT_FOUND',
      message: `Cannot ${request.method} ${request.url.split('?')[0] ?? ''}`,
      details: [],
    };
    return reply.status(404).send(renderModjoError(problem));
  });
}
