import { z } from 'zod';
import { jsonObject } from '../../platform/http/bounded-json.js';

const attributes = jsonObject(z.string().max(255));

/** Seed `contact_update_payload`; values are checked by the core, which answers 422 with the field. */
export const contactUpdateBody = z.object({
  name: z.string().max(255).nullish(),
  email: z.string().max(255).nullish(),
  phone_number: z.string().max(50).nullish(),
  identifier: z.string().max(255).nullish(),
  avatar_url: z.string().max(2000).nullish(),
  blocked: z.boolean().optional(),
  additional_attributes: attributes.nullish(),
  custom_attributes: attributes.nullish(),
});

/** Seed `contact_create_payload`. Chatwoot itself accepts a contact without an inbox. */
export const contactCreateBody = contactUpdateBody.extend({
  inbox_id: z.coerce.number().int().positive().optional(),
});

export function toContactFields(body: z.infer<typeof contactUpdateBody>) {
  return {
    name: body.name,
    email: body.email,
    phoneNumber: body.phone_number,
    identifier: body.identifier,
    avatarUrl: body.avatar_url,
    blocked: body.blocked,
    additionalAttributes: body.additional_attributes ?? undefined,
    customAttributes: body.custom_attributes ?? undefined,
  };
}
