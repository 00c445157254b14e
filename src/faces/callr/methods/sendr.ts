import type { RpcMethod } from '../rpc-method.js';

export const sendrMethods: readonly RpcMethod[] = [];
