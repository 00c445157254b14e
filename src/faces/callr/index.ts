import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import type { HttpProblem } from '../../platform/http/problem.js';
import type { Principal } from '../../core/identity/principal.js';
import { tokenAccountAccess } from '../shared/token-account.js';
import { authenticateCallr } from './credentials.js';
import { applyLoginAs } from './login-as.js';
import { methodTable } from './method-table.js';
import {
  RpcError,
  rpcCodes,
  rpcErrorOf,
  rpcFailure,
  rpcResult,
  type RpcId,
  type RpcResponse,
} from './json-rpc.js';

export const CALLR_RPC_PATH = '/callr/json-rpc/v1.1/';

const problemCodes: Partial<Record<HttpProblem['code'], number>> = {
  PAYLOAD_TOO_LARGE: rpcCodes.payloadTooLarge,
  RATE_LIMITED: rpcCodes.rateLimited,
  UNAUTHENTICATED: rpcCodes.authentication,
  NOT_FOUND: rpcCodes.methodNotFound,
};

/** Failures Fastify raises before a method runs (body limits, rate limits, unknown paths), as JSON-RPC. */
export function renderCallrProblem(problem: HttpProblem): RpcResponse {
  return rpcFailure(null, {
    code: problemCodes[problem.code] ?? (problem.status >= 500 ? rpcCodes.internal : rpcCodes.invalidRequest),
    message: problem.message,
  });
}

function idOf(request: unknown): RpcId {
  if (typeof request !== 'object' || request === null) return null;
  const id = (request as { id?: unknown }).id;
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}

/** The CALLR-compatible face: JSON-RPC 2.0 at `/callr/json-rpc/v1.1/` (DESIGN.md, callr.methods.md). */
export async function registerCallrFace(root: TypedApp, ctx: AppContext): Promise<void> {
  const methods = methodTable();

  async function runOne(
    request: FastifyRequest,
    message: unknown,
    principal: () => Promise<Principal>,
  ): Promise<RpcResponse> {
    const id = idOf(message);
    try {
      if (typeof message !== 'object' || message === null || Array.isArray(message)) {
        throw new RpcError(rpcCodes.invalidRequest, 'A request must be an object with "method" and "params"');
      }
      const { method: name, params } = message as { method?: unknown; params?: unknown };
      if (typeof name !== 'string' || name.length === 0) {
        throw new RpcError(rpcCodes.invalidRequest, '"method" must be a non-empty string');
      }
      const method = methods.get(name);
      if (!method) throw new RpcError(rpcCodes.methodNotFound, `Method not found: ${name}`);
      if (method.isPublic && request.headers.authorization === undefined) {
        return rpcResult(id, await method.invoke({ ctx, access: undefined, request }, params));
      }
      request.principal = await principal();
      const access = await applyLoginAs(ctx.db, request, await tokenAccountAccess(ctx.db, request));
      return rpcResult(id, await method.invoke({ ctx, access, request }, params));
    } catch (error) {
      const rendered = rpcErrorOf(error);
      if (rendered) return rpcFailure(id, rendered);
      request.log.error({ err: error }, 'CALLR method failed');
      return rpcFailure(id, { code: rpcCodes.internal, message: 'Internal error' });
    }
  }

  async function handle(request: FastifyRequest, reply: FastifyReply) {
    void reply.type('application/json; charset=utf-8');
    const body = typeof request.body === 'string' ? request.body : '';
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return rpcFailure(null, {
        code: rpcCodes.parseError,
        message: body.trim() === '' ? 'Parse error: the body is empty' : 'Parse error: the body is not JSON',
      });
    }
    // One authentication per HTTP request, whatever a batch holds, and only once a method needs it.
    let principal: Promise<Principal> | undefined;
    const resolve = () =>
      (principal ??= authenticateCallr(request, {
        db: ctx.db,
        platformToken: ctx.config.PARLEY_PLATFORM_TOKEN,
      }));
    if (!Array.isArray(parsed)) return runOne(request, parsed, resolve);
    if (parsed.length === 0)
      return rpcFailure(null, { code: rpcCodes.invalidRequest, message: 'Empty batch' });
    const answers: RpcResponse[] = [];
    for (const message of parsed) answers.push(await runOne(request, message, resolve));
    return answers;
  }

  await root.register(
    (app, _options, done) => {
      // Every body is read as text and parsed by the handler, so a parse error is a JSON-RPC error
      // (HTTP 200, code -32700) and `application/json-rpc`, `text/plain` or none at all are JSON.
      app.removeAllContentTypeParsers();
      app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, parse) => parse(null, body));
      app.post('/json-rpc/v1.1/', handle);
      app.post('/json-rpc/v1.1', handle);
      app.setNotFoundHandler((request, reply) => {
        const isRpcPath = /^\/callr\/json-rpc\/v1\.1\/?(\?|$)/.test(request.url);
        return reply
          .status(isRpcPath ? 405 : 404)
          .type('application/json; charset=utf-8')
          .send(
            rpcFailure(null, {
              code: rpcCodes.invalidRequest,
              message: isRpcPath
                ? `${request.method} is not allowed: send JSON-RPC requests with POST`
                : `No CALLR API at ${request.url.split('?')[0]}; the JSON-RPC endpoint is ${CALLR_RPC_PATH}`,
            }),
          );
      });
      done();
    },
    { prefix: '/callr' },
  );
}
