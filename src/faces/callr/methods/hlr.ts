import { createHlrSimulator } from '../../../core/lookups/hlr.js';
import { e164Param } from '../formats.js';
import { defineMethod, param, type RpcMethod } from '../rpc-method.js';

/** Parley has no HLR provider of its own yet: look-ups are answered by the simulator. */
const provider = createHlrSimulator();

/**
 * `hlr.lookup(number)` → CALLR's `HLR.Response`: SUCCESS when the subscriber is reachable, with
 * the serving network's MCC/MNC (kept on FAILURE when the handset is only absent; "" otherwise).
 */
export const hlrMethods: RpcMethod[] = [
  defineMethod({
    name: 'hlr.lookup',
    params: [param('number', e164Param)],
    handler: async (_call, [number]) => {
      const answer = await provider.lookup(number);
      return {
        mcc: answer.network?.mcc ?? '',
        mnc: answer.network?.mnc ?? '',
        state: answer.status === 'reachable' ? 'SUCCESS' : 'FAILURE',
      };
    },
  }),
];
