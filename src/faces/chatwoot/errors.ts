import type { FastifyRequest } from 'fastify';
import type { HttpProblem } from '../../platform/http/problem.js';

/** Chatwoot's documented error body (`bad_request_error`): a description and per-field errors. */
export interface ChatwootErrorBody {
  description: string;
  errors: { field: string; message: string; code: string }[];
}

export function renderChatwootError(problem: HttpProblem, _request: FastifyRequest): ChatwootErrorBody {
  const code = problem.code.toLowerCase();
  return {
    description: problem.message,
    errors: problem.details.map((detail) => ({
      field: detail.path.replace(/^(body|querystring|params)\./, ''),
      message: detail.message,
      code,
    })),
  };
}
