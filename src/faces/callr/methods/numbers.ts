import type { RpcMethod } from '../rpc-method.js';

/** PLACEHOLDER (H2): the numbers methods of the CALLR face. */
export const numbersMethods: RpcMethod[] = [];
