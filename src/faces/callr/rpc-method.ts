import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { AccountAccess } from '../../core/identity/principal.js';
import { invalidParam, RpcError, rpcCodes } from './json-rpc.js';

/** What a method runs with: the app, the caller admitted to its account, and the HTTP request. */
export interface RpcCall {
  ctx: AppContext;
  access: AccountAccess;
  request: FastifyRequest;
}

/** One positional param: its name (for error messages and named-param requests) and its schema. */
export interface RpcParam<S extends z.ZodType = z.ZodType> {
  name: string;
  schema: S;
}

export function param<S extends z.ZodType>(name: string, schema: S): RpcParam<S> {
  return { name, schema };
}

type ParamValues<P extends readonly RpcParam[]> = {
  -readonly [K in keyof P]: P[K] extends RpcParam<infer S> ? z.output<S> : never;
};

/** A public method's call: `access` is there only when the request carried credentials. */
export type PublicRpcCall = Omit<RpcCall, 'access'> & { access: AccountAccess | undefined };

export interface RpcMethod {
  /** The method name as clients call it, e.g. `apps.create`. */
  name: string;
  /** Older names the same method answers to (`dialr/call.realtime` for `calls.realtime`). */
  aliases?: readonly string[];
  /**
   * Runs without credentials when the request has none (`session.refresh`: the refresh token is
   * the credential). With credentials, they are checked as for any method.
   */
  isPublic?: boolean;
  /** Validates the request's params and runs the method. */
  invoke(call: PublicRpcCall, params: unknown): Promise<unknown>;
}

interface MethodDefinition<P extends readonly RpcParam[]> {
  name: string;
  aliases?: readonly string[];
  params: P;
}

/**
 * A method with positional params, validated one by one so an error names the param. Missing
 * trailing params are `undefined` (make their schema optional); a params object is read by name.
 */
export function defineMethod<const P extends readonly RpcParam[]>(
  definition: MethodDefinition<P> &
    (
      | { isPublic?: false; handler: (call: RpcCall, params: ParamValues<P>) => Promise<unknown> }
      | { isPublic: true; handler: (call: PublicRpcCall, params: ParamValues<P>) => Promise<unknown> }
    ),
): RpcMethod {
  const { params, handler } = definition;
  return {
    name: definition.name,
    ...(definition.aliases && { aliases: definition.aliases }),
    ...(definition.isPublic && { isPublic: true }),
    async invoke(call, raw) {
      const positional = positionalParams(raw, params);
      if (positional.length > params.length) {
        throw new RpcError(
          rpcCodes.invalidParams,
          `${definition.name} takes at most ${params.length} params (${params.map((entry) => entry.name).join(', ') || 'none'}), got ${positional.length}`,
        );
      }
      const values = params.map((entry, index) => {
        const parsed = entry.schema.safeParse(positional[index]);
        if (!parsed.success) throw invalidParam(index, entry.name, describeIssues(parsed.error));
        return parsed.data;
      });
      // Only public methods are ever invoked without access (index.ts); their handler takes that.
      return handler(call as RpcCall, values as ParamValues<P>);
    },
  };
}

function positionalParams(raw: unknown, params: readonly RpcParam[]): unknown[] {
  if (raw === undefined || raw === null) return [];
  if (Array.isArray(raw)) return raw;
  if (typeof raw === 'object') {
    const named = raw as Record<string, unknown>;
    const unknown = Object.keys(named).filter((key) => !params.some((entry) => entry.name === key));
    if (unknown.length > 0) {
      throw new RpcError(
        rpcCodes.invalidParams,
        `Unknown param ${unknown.map((key) => `'${key}'`).join(', ')}`,
      );
    }
    return params.map((entry) => named[entry.name]);
  }
  throw new RpcError(rpcCodes.invalidParams, 'params must be an array (positional) or an object (by name)');
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}
