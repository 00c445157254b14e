import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import qs from 'qs';
import { coerceFormBody } from './form-coercion.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Chatwoot routes that read multipart files themselves (message attachments). */
    readsMultipartFiles?: boolean;
  }
}

// Rails nests at most a few levels in practice; arrays of ids or labels run into the hundreds.
const QS_OPTIONS = { depth: 10, arrayLimit: 1000, parameterLimit: 1000, allowPrototypes: false } as const;
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Rails-style keys (`contact[name]=x`, `labels[]=a`, `custom_attributes[plan]=pro`) into one object. */
export function parseRailsForm(text: string): Record<string, unknown> {
  return qs.parse(text, QS_OPTIONS);
}

/** Multipart fields, in order, read as the same Rails-style form. */
export function railsFormFromFields(fields: [string, string][]): Record<string, unknown> {
  return parseRailsForm(
    fields.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&'),
  );
}

function isForm(request: FastifyRequest): boolean {
  return (request.headers['content-type'] ?? '')
    .toLowerCase()
    .startsWith('application/x-www-form-urlencoded');
}

/** Multipart fields of a route that takes no files: the same object a form body gives. */
async function multipartFields(request: FastifyRequest): Promise<Record<string, unknown>> {
  const fields: [string, string][] = [];
  for await (const part of request.parts()) {
    // Rails drops parameters an action does not permit; a stray file is one of those.
    if (part.type === 'file') part.file.resume();
    else fields.push([part.fieldname, String(part.value)]);
  }
  return railsFormFromFields(fields);
}

/**
 * Accepts the bodies real Chatwoot (Rails) accepts on every route of the face: JSON, form-encoded
 * and multipart with nested keys, and no body or an empty one where every field is optional.
 * Values from forms arrive as strings; `coerceFormBody` casts them where the route's schema wants numbers or booleans.
 */
export async function acceptRailsBodies(app: FastifyInstance): Promise<void> {
  await app.register(formbody, { parser: parseRailsForm });
  // An empty JSON body is "no parameters" to Rails, not a syntax error.
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, {});
      return;
    }
    void json(request, text, done);
  });
  app.addHook('preValidation', async (request) => {
    if (!BODY_METHODS.has(request.method)) return;
    if (request.isMultipart()) {
      if (request.routeOptions.config.readsMultipartFiles) return;
      request.body = coerceFormBody(await multipartFields(request), request.routeOptions.schema?.body);
    } else if (request.body === undefined || request.body === null) {
      request.body = {};
    } else if (isForm(request)) {
      request.body = coerceFormBody(request.body, request.routeOptions.schema?.body);
    }
  });
}
