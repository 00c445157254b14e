import { defineMethod, type RpcMethod } from '../rpc-method.js';

/** System and look-up methods (`system.*`, `list.*`, `billing.get_prepaid_credit`, `jobs.get`). */
export const systemMethods: RpcMethod[] = [
  defineMethod({
    name: 'system.get_timestamp',
    params: [],
    // The server's clock as a UNIX timestamp in seconds, which clients use to check their own.
    handler: () => Promise.resolve(Math.floor(Date.now() / 1000)),
  }),
];
