/**
 * The e-mail templates a notification about a new recording (RECORD) or voicemail (VMS) is written
 * with (`media/email.get_templates`). Parley has one built-in template per type and no way yet to
 * add an account's own; the placeholders are the tags CALLR's voicemail options name.
 */
export const emailTemplateTypes = ['RECORD', 'VMS'] as const;
export type EmailTemplateType = (typeof emailTemplateTypes)[number];

export interface EmailTemplate {
  /** Stable key: the face derives the template's hash from it. */
  key: string;
  name: string;
  type: EmailTemplateType;
  subject: string;
  body: string;
}

export const BUILT_IN_EMAIL_TEMPLATES: readonly EmailTemplate[] = [
  {
    key: 'record-default',
    name: 'New recording',
    type: 'RECORD',
    subject: 'New recording from {CLI}',
    body: 'A call from {CLI} to {DID} on {DATETIME} was recorded ({DURATION} s). Recording: {URL}',
  },
  {
    key: 'vms-default',
    name: 'New voicemail',
    type: 'VMS',
    subject: 'New voicemail from {CLI}',
    body: '{CLI} left a voicemail on {DID} on {DATETIME} ({DURATION} s). Listen: {URL}',
  },
];

export function emailTemplatesOf(type: EmailTemplateType | null): EmailTemplate[] {
  return BUILT_IN_EMAIL_TEMPLATES.filter((template) => type === null || template.type === type);
}
