import type { Face } from './types.js';

/** Which face answers a path: its error body must be that face's, whatever went wrong. */
export function faceOfPath(path: string): Face {
  if (path.startsWith('/chatwoot/')) return 'chatwoot';
  if (path.startsWith('/modjo/')) return 'modjo';
  if (path.startsWith('/dixa/')) return 'dixa';
  if (path.startsWith('/diabolocom/')) return 'diabolocom';
  return 'native';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Native `{error:{code,message,details,requestId}}`, Chatwoot `{description,errors[]}`, Modjo
 * NestJS-style, Dixa `{message}`, Diabolocom `{status,error,message}` with the seed's `error.*` keys.
 */
const checks: Record<Face, (body: unknown) => boolean> = {
  native: (body) =>
    isRecord(body) &&
    isRecord(body.error) &&
    typeof body.error.code === 'string' &&
    typeof body.error.message === 'string',
  chatwoot: (body) => isRecord(body) && typeof body.description === 'string' && Array.isArray(body.errors),
  modjo: (body) =>
    isRecord(body) &&
    typeof body.statusCode === 'number' &&
    typeof body.error === 'string' &&
    typeof body.message === 'string',
  dixa: (body) => isRecord(body) && typeof body.message === 'string',
  diabolocom: (body) =>
    isRecord(body) &&
    typeof body.status === 'number' &&
    typeof body.error === 'string' &&
    body.error.startsWith('error.') &&
    typeof body.message === 'string',
};

/** Whether a 4xx body is the face's error format (HEAD answers carry no body). */
export function isFaceErrorBody(face: Face, method: string, rawBody: string): boolean {
  if (method === 'HEAD') return true;
  try {
    return checks[face](JSON.parse(rawBody));
  } catch {
    return false;
  }
}
