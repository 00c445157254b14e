import type { RpcMethod } from '../rpc-method.js';

/** PLACEHOLDER (H1): the credentials methods of the CALLR face. */
export const credentialsMethods: RpcMethod[] = [];
