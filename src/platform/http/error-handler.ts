import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { toProblem, type HttpProblem } from './problem.js';

/** Renders a problem in one face's error format. */
export type ProblemRenderer = (problem: HttpProblem, request: FastifyRequest) => unknown;

/**
 * Installs one face's error and not-found handlers. Unknown errors are logged with the request id
 * and answered 500; a client's mistake is always a 4xx in the face's own body.
 */
export function installErrorHandlers(app: FastifyInstance, render: ProblemRenderer): void {
  app.setErrorHandler((error, request, reply) => {
    const problem = toProblem(error);
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: problem.code, status: problem.status }, problem.message);
    return send(reply, problem, request, render);
  });
  app.setNotFoundHandler((request, reply) => {
    const problem: HttpProblem = {
      status: 404,
      code: 'NOT_FOUND',
      message: `Route ${request.method} ${request.url.split('?')[0] ?? ''} not found`,
      details: [],
    };
    return send(reply, problem, request, render);
  });
}

function send(reply: FastifyReply, problem: HttpProblem, request: FastifyRequest, render: ProblemRenderer) {
  return reply.status(problem.status).type('application/json; charset=utf-8').send(render(problem, request));
}

/** Which face renders a failure, by path prefix; the first match wins, `fallback` otherwise. */
export interface FaceRenderers {
  byPrefix: { prefix: string; render: ProblemRenderer }[];
  fallback: ProblemRenderer;
}

/**
 * Fastify answers some URLs before any route or face error handler sees them (a path parameter
 * over `maxParamLength`, bad percent-encoding). This renders those in the face the path names.
 */
export function frameworkErrorHandler(renderers: () => FaceRenderers) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const problem = toProblem(error);
    request.log.info({ code: problem.code, status: problem.status }, problem.message);
    const { byPrefix, fallback } = renderers();
    const face = byPrefix.find(({ prefix }) => request.url.startsWith(prefix));
    void send(reply, problem, request, face?.render ?? fallback);
  };
}
