import type { FastifyInstance } from 'fastify';
import type { ChatwootErrorBody } from '../errors.js';
import { checkSeedResponse } from './response-checker.js';

const FACE_PREFIX = '/chatwoot';

function bodyText(payload: unknown): string | undefined | null {
  if (payload === undefined || payload === null) return undefined;
  if (typeof payload === 'string') return payload;
  if (Buffer.isBuffer(payload)) return payload.toString('utf8');
  return null; // a stream (files, HTML pages): not the seed's JSON
}

/**
 * Holds every answer of the face to the seed's response schemas (the test suite turns this on):
 * a response that breaks its schema becomes a 500 naming the operation, the JSON pointer and the
 * violation, and is logged, so any test that checks a status fails loudly where the type slipped.
 */
export function guardSeedResponses(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const template = request.routeOptions.url;
    if (!template?.startsWith(FACE_PREFIX)) return payload;
    const text = bodyText(payload);
    if (text === null) return payload;
    const contentType = String(reply.getHeader('content-type') ?? '');
    if (text !== undefined && text.length > 0 && !contentType.includes('json')) return payload;
    const check = checkSeedResponse(
      request.method,
      template.slice(FACE_PREFIX.length),
      reply.statusCode,
      text,
    );
    if (!check || check.violations.length === 0) return payload;
    const status = reply.statusCode;
    request.log.error({ operation: check.operation, status, violations: check.violations }, 'seed violation');
    const body: ChatwootErrorBody = {
      description: `Response breaks the Chatwoot seed: ${check.operation} ${status}`,
      errors: check.violations.map((violation) => ({
        field: violation.pointer,
        message: violation.message,
        code: 'seed_violation',
      })),
    };
    reply.removeHeader('content-length');
    void reply.code(500).type('application/json; charset=utf-8');
    return JSON.stringify(body);
  });
}
