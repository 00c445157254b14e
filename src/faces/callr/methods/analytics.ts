import type { RpcMethod } from '../rpc-method.js';

export const analyticsMethods: readonly RpcMethod[] = [];
