import type { FastifyInstance } from 'fastify';
import { toProblem, type HttpProblem } from '../../platform/http/problem.js';

/**
 * Dixa's error schemas (ErrorResponse, BadRequest, NotFound, Unauthorized, Conflict, ServerError)
 * are all `{message}`. Dixa answers invalid input with 400 where Parley's core says 422, and names
 * the offending field in the message, since the body has no room for a list.
 */
export interface DixaErrorBody {
  message: string;
}

export function dixaStatus(problem: HttpProblem): number {
  return problem.status === 422 ? 400 : problem.status;
}

export function renderDixaError(problem: HttpProblem): DixaErrorBody {
  const hints = problem.details.map((detail) => {
    const field = detail.path.replace(/^(body|querystring|params)\.?/, '');
    return field ? `${field}: ${detail.message}` : detail.message;
  });
  return { message: hints.length > 0 ? `${problem.message} (${hints.join('; ')})` : problem.message };
}

export function installDixaErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const problem = toProblem(error);
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: problem.code, status: problem.status }, problem.message);
    return reply.status(dixaStatus(problem)).send(renderDixaError(problem));
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    return reply.status(404).send({ message: `No route for ${request.method} ${path}` });
  });
}
