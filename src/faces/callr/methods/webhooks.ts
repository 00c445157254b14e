import type { RpcMethod } from '../rpc-method.js';

/** PLACEHOLDER (H6): the webhooks methods of the CALLR face. */
export const webhooksMethods: RpcMethod[] = [];
