import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { HttpProblem } from '../../platform/http/problem.js';

/** The native API's one error body. `code` is stable and machine-readable; `message` is for people. */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })),
    requestId: z.string(),
  }),
});

export function renderNativeError(problem: HttpProblem, request: FastifyRequest) {
  return {
    error: {
      code: problem.code.toLowerCase(),
      message: problem.message,
      details: problem.details,
      requestId: request.id,
    },
  };
}
