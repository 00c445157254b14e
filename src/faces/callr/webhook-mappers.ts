import type { CallrMappers } from './webhook-render.js';
import { toCallrSms } from './sms.map.js';
import { toCallrCdrIn, toCallrCdrOut } from './cdr.map.js';
import { toCallrCredit } from './methods/billing.js';

/** The seed objects webhooks push, from the face's own mappers (the same the methods answer with). */
export const callrMappers: CallrMappers = {
  sms: toCallrSms,
  cdrOut: toCallrCdrOut,
  cdrIn: (cdr) => toCallrCdrIn(cdr),
  credit: toCallrCredit,
};
