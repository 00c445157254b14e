import type { RpcMethod } from '../rpc-method.js';

/** PLACEHOLDER (H8): the sip methods of the CALLR face. */
export const sipMethods: RpcMethod[] = [];
