import type { RpcMethod } from '../rpc-method.js';

export const recordingsMethods: readonly RpcMethod[] = [];
