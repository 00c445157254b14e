import { expect } from 'vitest';

/** The seed's GET example, field by field: name → type ("string|null" where it may be null). */
const seedContactTypes: Record<string, string> = {
  id: 'number',
  campaignId: 'number',
  contactId: 'number',
  state: 'string',
  comment: 'string|null',
  excluded: 'boolean',
  excludedDetail: 'string|null',
  priority: 'number',
  retryDate: 'string|null',
  triesNumber: 'number',
  wrapupId: 'number|null',
  agentId: 'number|null',
  agentName: 'string|null',
  assignedAgentId: 'number|null',
  assignedGroupId: 'number|null',
  duplicateContactIds: 'array',
  minCallingDateTime: 'string|null',
  maxCallingDateTime: 'string|null',
  lastCallTime: 'string|null',
  lastAttemptTime: 'string|null',
  createdBy: 'string',
  createdAt: 'string',
  lastUpdatedBy: 'string',
  lastUpdatedAt: 'string',
  contactCardDisplayNumber: 'string|null',
  displayedNumberIds: 'array',
  calendarId: 'number|null',
  customFields: 'object',
  phones: 'object',
};

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Asserts a contact has every field of the seed's structure, with the seed's types. */
export function expectSeedContact(contact: Record<string, unknown>): void {
  for (const [field, type] of Object.entries(seedContactTypes)) {
    expect(type.split('|'), `${field} is ${typeOf(contact[field])}`).toContain(typeOf(contact[field]));
  }
  // Typed without null by the seed: absent while unset, never null.
  for (const field of ['lastAgentId', 'lastCallerType', 'region', 'purgeDate', 'currentPhoneName']) {
    expect(contact[field] === null, field).toBe(false);
  }
}
