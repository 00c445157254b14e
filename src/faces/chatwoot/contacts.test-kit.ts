import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { injector, type TestApp } from '../../testing/app.js';

/** A Chatwoot-face caller bound to one token, with every verb the contact routes use. */
export function contactsClient(app: TestApp, token: string, accountId: number) {
  const inject = injector(app);
  const headers = { api_access_token: token };
  const url = (path: string) => `/chatwoot/api/v1/accounts/${accountId}${path}`;
  const send =
    (method: 'POST' | 'PUT' | 'PATCH') =>
    (path: string, payload: unknown = {}): Promise<LightMyRequestResponse> =>
      inject({ method, url: url(path), headers, payload: payload as object });
  return {
    accountId,
    get: (path: string): Promise<LightMyRequestResponse> =>
      inject({ method: 'GET', url: url(path), headers }),
    delete: (path: string): Promise<LightMyRequestResponse> =>
      inject({ method: 'DELETE', url: url(path), headers }),
    post: send('POST'),
    put: send('PUT'),
    patch: send('PATCH'),
  };
}
export type ContactsClient = ReturnType<typeof contactsClient>;

/** Seed `contact_list_item`, field by field with its JSON type ('undefined': left out when unset). */
export function expectSeedContactShape(contact: Record<string, unknown>): void {
  const types: Record<string, string[]> = {
    id: ['number'],
    name: ['string'],
    email: ['string', 'undefined'],
    phone_number: ['string', 'undefined'],
    identifier: ['string', 'undefined'],
    thumbnail: ['string'],
    availability_status: ['string'],
    blocked: ['boolean'],
    additional_attributes: ['object'],
    custom_attributes: ['object'],
    last_activity_at: ['number', 'undefined'],
    created_at: ['number'],
    contact_inboxes: ['array'],
  };
  for (const [field, allowed] of Object.entries(types)) {
    const value = contact[field];
    const type = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
    expect({ field, type, ok: allowed.includes(type) }).toEqual({ field, type, ok: true });
  }
  expect(['online', 'offline']).toContain(contact.availability_status);
}
