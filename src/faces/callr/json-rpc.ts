import { isDomainError, type ErrorCode } from '../../platform/errors.js';

/**
 * JSON-RPC 2.0 error codes. The reserved range is the spec's (and what `callr.methods.md` names for
 * unknown methods, bad params and parse errors); the -32001..-32099 server range carries Parley's
 * domain failures, one code per kind, so a client can branch without parsing messages.
 */
export const rpcCodes = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internal: -32603,
  authentication: -32001,
  forbidden: -32003,
  notFound: -32004,
  conflict: -32009,
  payloadTooLarge: -32013,
  rateLimited: -32029,
  unavailable: -32053,
} as const;

export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = 'RpcError';
  }
}

/** A param that is present but wrong, named by its position and its name in the method's signature. */
export function invalidParam(index: number, name: string, problem: string): RpcError {
  return new RpcError(rpcCodes.invalidParams, `Invalid param #${index + 1} '${name}': ${problem}`);
}

const domainCodes: Record<ErrorCode, number> = {
  VALIDATION_FAILED: rpcCodes.invalidParams,
  BAD_REQUEST: rpcCodes.invalidParams,
  UNAUTHENTICATED: rpcCodes.authentication,
  FORBIDDEN: rpcCodes.forbidden,
  NOT_FOUND: rpcCodes.notFound,
  CONFLICT: rpcCodes.conflict,
  INVALID_STATE: rpcCodes.conflict,
  PAYLOAD_TOO_LARGE: rpcCodes.payloadTooLarge,
  UPGRADE_REQUIRED: rpcCodes.invalidRequest,
  RATE_LIMITED: rpcCodes.rateLimited,
  UNAVAILABLE: rpcCodes.unavailable,
};

export type RpcId = string | number | null;

export interface RpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

export type RpcResponse =
  { jsonrpc: '2.0'; id: RpcId; result: unknown } | { jsonrpc: '2.0'; id: RpcId; error: RpcErrorObject };

/** The error object for anything a method threw; null for a fault that is not the client's (a 500 in spirit). */
export function rpcErrorOf(error: unknown): RpcErrorObject | null {
  if (error instanceof RpcError) {
    return {
      code: error.code,
      message: error.message,
      ...(error.data !== undefined && { data: error.data }),
    };
  }
  if (isDomainError(error)) {
    const details = error.details.map((detail) =>
      detail.path ? `${detail.path}: ${detail.message}` : detail.message,
    );
    const message = details.length > 0 ? `${error.message} (${details.join('; ')})` : error.message;
    return { code: domainCodes[error.code], message };
  }
  return null;
}

export function rpcResult(id: RpcId, result: unknown): RpcResponse {
  // A method that has nothing to say answers `true`, as CALLR's do: a body without `result`
  // is INVALID_RESPONSE to the official SDK.
  return { jsonrpc: '2.0', id, result: result === undefined ? true : result };
}

export function rpcFailure(id: RpcId, error: RpcErrorObject): RpcResponse {
  return { jsonrpc: '2.0', id, error };
}
