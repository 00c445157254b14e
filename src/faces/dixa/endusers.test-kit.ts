import { and, asc, eq } from 'drizzle-orm';
import { expect } from 'vitest';
import type { TestApp } from '../../testing/app.js';
import { events } from '../../platform/events/events.tables.js';
import type { DixaTestOrg } from './dixa-test-kit.js';

/** Keys every rendered end user has; the optional ones are absent rather than null. */
export const ALWAYS_PRESENT = [
  'id',
  'createdAt',
  'middleNames',
  'additionalEmails',
  'additionalPhoneNumbers',
  'customAttributes',
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Checks an end user against the seed's `EndUser`: types, and no null anywhere. */
export function expectSeedEndUser(endUser: Record<string, unknown>): void {
  expect(endUser.id).toMatch(UUID);
  expect(new Date(endUser.createdAt as string).toISOString()).toBe(endUser.createdAt);
  for (const key of [
    'displayName',
    'email',
    'phoneNumber',
    'externalId',
    'avatarUrl',
    'firstName',
    'lastName',
  ]) {
    if (key in endUser) expect(typeof endUser[key]).toBe('string');
  }
  for (const key of ['middleNames', 'additionalEmails', 'additionalPhoneNumbers']) {
    expect(Array.isArray(endUser[key])).toBe(true);
    for (const item of endUser[key] as unknown[]) expect(typeof item).toBe('string');
  }
  expect(Array.isArray(endUser.customAttributes)).toBe(true);
  expect(JSON.stringify(endUser)).not.toContain('null');
}

/** Creates an end user through the face and returns it (fails the test on anything but 201). */
export async function createEndUserVia(
  org: DixaTestOrg,
  body: Record<string, unknown>,
): Promise<Record<string, unknown> & { id: string }> {
  const response = await org.call('POST', '/v1/endusers', body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ data: Record<string, unknown> & { id: string } }>().data;
}

/** The contact events of an account, oldest first. */
export async function contactEvents(app: TestApp, accountId: number) {
  return app.testDb.database.db
    .select({ type: events.type, payload: events.payload })
    .from(events)
    .where(and(eq(events.accountId, accountId), eq(events.aggregateType, 'contact')))
    .orderBy(asc(events.id));
}
