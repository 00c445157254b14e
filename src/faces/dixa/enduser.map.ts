import { z } from 'zod';
import type { ContactRow } from '../../core/contacts/contacts.tables.js';
import type { EndUserFields } from '../../core/contacts/end-user-fields.js';
import { EndUserConflictError } from '../../core/contacts/end-user-conflicts.js';
import { DomainError } from '../../platform/errors.js';
import type { CustomAttributeDefinitionRow } from '../../core/custom-attributes/custom-attributes.tables.js';
import { dixaCustomAttributeSchema, toDixaCustomAttributes } from './custom-attribute.map.js';

/** Seed `EndUser`: only `id` and `createdAt` are required; absent values are left out, never null. */
export const dixaEndUserSchema = z.object({
  id: z.uuid(),
  createdAt: z.iso.datetime(),
  displayName: z.string().optional(),
  email: z.string().optional(),
  phoneNumber: z.string().optional(),
  externalId: z.string().optional(),
  avatarUrl: z.string().optional(),
  firstName: z.string().optional(),
  middleNames: z.array(z.string()),
  lastName: z.string().optional(),
  additionalEmails: z.array(z.string()),
  additionalPhoneNumbers: z.array(z.string()),
  customAttributes: z.array(dixaCustomAttributeSchema),
});
export type DixaEndUser = z.infer<typeof dixaEndUserSchema>;

const text = (max: number) => z.string().max(max);
const list = (max: number) => z.array(z.string().max(max)).max(50);

/** Seed `CreateEndUserInput` / `PatchEndUserInput`: every field optional. */
export const endUserInputSchema = z.object({
  displayName: text(255).optional(),
  email: text(320).optional(),
  phoneNumber: text(40).optional(),
  externalId: text(255).optional(),
  avatarUrl: text(2048).optional(),
  firstName: text(255).optional(),
  middleNames: list(255).optional(),
  lastName: text(255).optional(),
  additionalEmails: list(320).optional(),
  additionalPhoneNumbers: list(40).optional(),
});
export type EndUserInput = z.infer<typeof endUserInputSchema>;

/** Seed `UpdateEndUserInput`: a full replacement, which must name the person. */
export const endUserReplacementSchema = endUserInputSchema.extend({ displayName: text(255) });

function present(value: string | null): string | undefined {
  return value === null || value === '' ? undefined : value;
}

export function toDixaEndUser(row: ContactRow, definitions: CustomAttributeDefinitionRow[]): DixaEndUser {
  const fields = {
    displayName: present(row.name),
    email: present(row.email),
    phoneNumber: present(row.phoneNumber),
    externalId: present(row.identifier),
    avatarUrl: present(row.avatarUrl),
    firstName: present(row.firstName),
    lastName: present(row.lastName),
  };
  return {
    id: row.uuid,
    createdAt: row.createdAt.toISOString(),
    ...(Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<
      typeof fields
    >),
    middleNames: row.middleNames,
    additionalEmails: row.additionalEmails,
    additionalPhoneNumbers: row.additionalPhoneNumbers,
    customAttributes: toDixaCustomAttributes(row.customAttributes, definitions),
  };
}

/** Dixa's names for the contact's fields (displayName is the name, externalId the identifier). */
export function toEndUserFields(input: EndUserInput): EndUserFields {
  const { displayName, externalId, ...rest } = input;
  return {
    ...rest,
    ...(displayName !== undefined && { name: displayName }),
    ...(externalId !== undefined && { identifier: externalId }),
  };
}

const dixaFieldOf = { email: 'email', phoneNumber: 'phoneNumber', identifier: 'externalId' } as const;

/** A core error as a Dixa client reads it: the contact's identifier is its externalId here. */
export function inDixaTerms(error: DomainError): DomainError {
  if (!(error instanceof EndUserConflictError)) return error;
  const field = dixaFieldOf[error.field];
  return new DomainError('CONFLICT', `${field} has already been taken`, [
    { path: field, message: 'has already been taken' },
  ]);
}

/** Runs a use-case, rethrowing its conflicts in Dixa's field names. */
export async function inDixaTermsOf<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw error instanceof DomainError ? inDixaTerms(error) : error;
  }
}
