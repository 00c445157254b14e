import type { RpcMethod } from '../rpc-method.js';

/** PLACEHOLDER (H4): the calls methods of the CALLR face. */
export const callsMethods: RpcMethod[] = [];
