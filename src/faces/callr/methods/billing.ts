import type { RpcMethod } from '../rpc-method.js';

export const billingMethods: readonly RpcMethod[] = [];
