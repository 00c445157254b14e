import type { RpcMethod } from '../rpc-method.js';

export const hlrMethods: readonly RpcMethod[] = [];
