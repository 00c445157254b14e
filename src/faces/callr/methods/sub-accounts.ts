import type { RpcMethod } from '../rpc-method.js';

/** PLACEHOLDER (H8): the sub-accounts methods of the CALLR face. */
export const subAccountsMethods: RpcMethod[] = [];
