import type { RpcMethod } from '../rpc-method.js';

/** PLACEHOLDER (H3): the apps methods of the CALLR face. */
export const appsMethods: RpcMethod[] = [];
