import type { RpcMethod } from '../rpc-method.js';

/** PLACEHOLDER (H5): the sms methods of the CALLR face. */
export const smsMethods: RpcMethod[] = [];
