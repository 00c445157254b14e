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
import { conferenceMethods } from './methods/conference.js';
import { sendrMethods } from './methods/sendr.js';
import { analyticsMethods } from './methods/analytics.js';
import { recordingsMethods } from './methods/recordings.js';
import { hlrMethods } from './methods/hlr.js';
import { billingMethods } from './methods/billing.js';

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
  ...conferenceMethods,
  ...sendrMethods,
  ...analyticsMethods,
  ...recordingsMethods,
  ...hlrMethods,
  ...billingMethods,
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
