import type { FastifyInstance } from 'fastify';
import { DomainError, type ErrorCode } from '../../platform/errors.js';
import { toProblem, type HttpProblem } from '../../platform/http/problem.js';

/**
 * Diabolocom names its errors with keys (`error.unauthorized`, `error.campaign.not.exists`, …) but
 * does not document a body. Parley answers every Diabolocom error with one body that carries the key,
 * a sentence for people, and the status (docs/decisions.md).
 */
export interface DiabolocomErrorBody {
  status: number;
  error: string;
  message: string;
}

/** A failure with the seed's own error key, e.g. `error.campaign.not.exists`. */
export class DiabolocomError extends DomainError {
  readonly key: string;

  constructor(code: ErrorCode, key: string, message: string) {
    super(code, message);
    this.name = 'DiabolocomError';
    this.key = key;
  }
}

export const campaignNotFound = (id: number | string): DiabolocomError =>
  new DiabolocomError('NOT_FOUND', 'error.campaign.not.exists', `Campaign ${id} does not exist`);
export const contactNotFound = (id: number | string): DiabolocomError =>
  new DiabolocomError('NOT_FOUND', 'error.contact.not.exists', `Contact ${id} does not exist`);
export const wrapupNotFound = (id: number | string): DiabolocomError =>
  new DiabolocomError('NOT_FOUND', 'error.wrapup.not.exists', `Wrapup ${id} does not exist`);
export const batchNotFound = (id: string): DiabolocomError =>
  new DiabolocomError('NOT_FOUND', 'error.batch.not.exists', `Batch ${id} does not exist`);
export const interactionNotFound = (id: number | string): DiabolocomError =>
  new DiabolocomError('NOT_FOUND', 'error.interaction.not.exists', `Interaction ${id} has no recording`);

/** The key for problems that did not name one: by status, in the seed's style. */
function keyOf(problem: HttpProblem): string {
  switch (problem.status) {
    case 400:
    case 422:
      return 'error.bad.request';
    case 401:
      return 'error.unauthorized';
    case 403:
      return 'error.forbidden';
    case 404:
      return 'error.not.found';
    case 405:
      return 'error.method.not.allowed';
    case 409:
      return 'error.conflict';
    case 413:
      return 'error.payload.too.large';
    case 415:
      return 'error.unsupported.media.type';
    case 416:
      return 'error.range.not.satisfiable';
    case 429:
      return 'error.too.many.requests';
    default:
      return problem.status >= 500 ? 'error.internal' : 'error.bad.request';
  }
}

/** Diabolocom answers invalid input with 400 where Parley's core says 422. */
export function diabolocomStatus(problem: HttpProblem): number {
  return problem.status === 422 ? 400 : problem.status;
}

export function renderDiabolocomError(problem: HttpProblem, key?: string): DiabolocomErrorBody {
  const hints = problem.details.map((detail) => {
    const field = detail.path.replace(/^(body|querystring|params)\.?/, '');
    return field ? `${field}: ${detail.message}` : detail.message;
  });
  const message = hints.length > 0 ? `${problem.message} (${hints.join('; ')})` : problem.message;
  return { status: diabolocomStatus(problem), error: key ?? keyOf(problem), message };
}

/**
 * The face's routes, as patterns: a known path asked with another method is 405
 * `error.method.not.allowed`, as the seed's status tables say; anything else is 404.
 */
const knownPaths: RegExp[] = [
  /^\/api\/v2\/voice\/campaigns\/[^/]+\/contacts(\/[^/]+)?$/,
  /^\/api\/v2\/voice\/campaigns\/[^/]+\/contacts\/search(\/by-date)?$/,
  /^\/api\/v2\/voice\/campaigns\/contacts\/search\/by-phone$/,
  /^\/api\/v2\/voice\/campaigns\/[^/]+\/contact-batch\/(create|update|delete)$/,
  /^\/api\/v2\/voice\/campaigns\/contact-batch\/status\/[^/]+$/,
  /^\/api\/v1\/voice\/campaigns(\/[^/]+)?$/,
  /^\/api\/v1\/voice\/campaigns\/[^/]+\/field$/,
  /^\/api\/v1\/account\/wrapups(\/[^/]+)?$/,
  /^\/api\/v1\/statistic-cold\/billing\/licenses$/,
  /^\/api\/v1\/recordings\/interactions\/[^/]+\/content$/,
];

export function installDiabolocomErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const problem = toProblem(error);
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: problem.code, status: problem.status }, problem.message);
    const key = error instanceof DiabolocomError ? error.key : undefined;
    return reply.status(diabolocomStatus(problem)).send(renderDiabolocomError(problem, key));
  });
  app.setNotFoundHandler((request, reply) => {
    const path = (request.url.split('?')[0] ?? '').replace(/^\/diabolocom/, '');
    if (knownPaths.some((pattern) => pattern.test(path))) {
      return reply.status(405).send({
        status: 405,
        error: 'error.method.not.allowed',
        message: `${request.method} is not allowed on ${path}`,
      });
    }
    return reply
      .status(404)
      .send({ status: 404, error: 'error.not.found', message: `No route for ${request.method} ${path}` });
  });
}
