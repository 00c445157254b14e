import type { RpcMethod } from '../rpc-method.js';

/** PLACEHOLDER (H7): the media methods of the CALLR face. */
export const mediaMethods: RpcMethod[] = [];
