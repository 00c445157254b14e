/**
 * CALLR's webhook event types (docs.callr.com/webhooks, "Events"): the names clients subscribe to
 * with `webhooks.subscribe`, what each pushes as `data`, and whether Parley emits it yet.
 */
export interface CallrEventType {
  type: string;
  description: string;
  /** The seed object pushed as the event's `data`. */
  object: string;
  /** False for types a subscription may name but nothing in Parley produces yet. */
  isDelivered: boolean;
}

export const callrEventTypes: readonly CallrEventType[] = [
  {
    type: 'billing.credit',
    description: 'Credit event on your prepaid balance.',
    object: 'Webhook.Event.Billing.Credit',
    isDelivered: false,
  },
  {
    type: 'billing.credit_warning',
    description: 'Your prepaid balance has reached its warning level.',
    object: 'Webhook.Event.Billing.Credit',
    isDelivered: true,
  },
  {
    type: 'billing.credit_shutdown',
    description: 'Your prepaid balance has reached its shutdown level. Your account is suspended.',
    object: 'Webhook.Event.Billing.Credit',
    isDelivered: true,
  },
  {
    type: 'call.inbound_start',
    description: 'An inbound call just started.',
    object: 'CDR.In',
    isDelivered: false,
  },
  {
    type: 'call.inbound_hangup',
    description: 'An inbound call just hung up.',
    object: 'CDR.In',
    isDelivered: true,
  },
  {
    type: 'call.outbound_start',
    description: 'An outbound call just started.',
    object: 'CDR.Out',
    isDelivered: false,
  },
  {
    type: 'call.outbound_hangup',
    description: 'An outbound call just hung up.',
    object: 'CDR.Out',
    isDelivered: true,
  },
  {
    type: 'did.assigned',
    description: 'A DID was assigned to your account.',
    object: 'DID',
    isDelivered: false,
  },
  {
    type: 'did.unassigned',
    description: 'A DID was unassigned from your account.',
    object: 'DID',
    isDelivered: false,
  },
  {
    type: 'job.status_update',
    description: 'A background job has an updated status.',
    object: 'Job',
    isDelivered: false,
  },
  {
    type: 'media.library.status_update',
    description: 'A Media Library has an updated status.',
    object: 'Media.Library',
    isDelivered: false,
  },
  {
    type: 'media.recording.new',
    description: 'A Media Recording has been created (like a call recording, a voicemail, etc.).',
    object: 'Media.Recording',
    isDelivered: false,
  },
  {
    type: 'media.recording.status_update',
    description: 'A Media Recording has an updated status.',
    object: 'Media.Recording',
    isDelivered: false,
  },
  { type: 'sms.mo', description: 'An inbound SMS (MO) has been received.', object: 'SMS', isDelivered: true },
  {
    type: 'sms.mt.status_update',
    description: 'An outbound SMS (MT) has an updated status.',
    object: 'SMS',
    isDelivered: true,
  },
];

const known = new Set(callrEventTypes.map((entry) => entry.type));

export function isCallrEventType(type: string): boolean {
  return known.has(type);
}
