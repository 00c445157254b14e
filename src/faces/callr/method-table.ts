import type { RpcMethod } from './rpc-method.js';
import { systemMethods } from './methods/system.js';
import { credentialsMethods } from './methods/credentials.js';
import { numbersMethods } from './methods/numbers.js';
import { appsMethods } from './methods/apps.js';
import { callsMethods } from './methods/calls.js';
import { smsMethods } from './methods/sms.js';
import { webhooksMethods } from './methods/webhooks.js';
import { mediaMethods } from './methods/media.js';
import { subAccountsMethods } from './methods/sub-accounts.js';
import { sipMethods } from './methods/sip.js';

export const callrMethods: readonly RpcMethod[] = [
  ...systemMethods,
  ...credentialsMethods,
  ...numbersMethods,
  ...appsMethods,
  ...callsMethods,
  ...smsMethods,
  ...webhooksMethods,
  ...mediaMethods,
  ...subAccountsMethods,
  ...sipMethods,
];

/** Every name and alias to its method; a name defined twice is a programming error caught at start. */
export function methodTable(methods: readonly RpcMethod[] = callrMethods): ReadonlyMap<string, RpcMethod> {
  const table = new Map<string, RpcMethod>();
  for (const method of methods) {
    for (const name of [method.name, ...(method.aliases ?? [])]) {
      if (table.has(name)) throw new Error(`CALLR method ${name} is defined twice`);
      table.set(name, method);
    }
  }
  return table;
}
