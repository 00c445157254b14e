import type { RpcMethod } from '../rpc-method.js';

export const conferenceMethods: readonly RpcMethod[] = [];
