import { describe, expect, it } from 'vitest';
import { checkSeedResponse, normalizeTemplate } from './response-checker.js';

const SHOW = '/api/v1/accounts/:account_id/conversations/:conversation_id';

function conversation(overrides: Record<string, unknown> = {}) {
  return JSON.stringify({
    id: 1,
    account_id: 1,
    uuid: 'u',
    inbox_id: 2,
    status: 'open',
    labels: [],
    timestamp: '1700000000',
    messages: [],
    meta: { sender: { id: 3, name: 'Ada' }, channel: 'Channel::Api', hmac_verified: false },
    ...overrides,
  });
}

/** The checker holds responses to the seed's types; these cases pin how it reads them. */
describe('seed response checker', () => {
  it('matches Fastify route templates to the seed paths', () => {
    expect(normalizeTemplate('/api/v1/accounts/:account_id/inboxes/:id')).toBe(
      normalizeTemplate('/api/v1/accounts/{account_id}/inboxes/{id}/'),
    );
    expect(checkSeedResponse('GET', '/api/v1/not/in/the/seed', 200, '{}')).toBeUndefined();
  });

  it('passes a body that fits the seed', () => {
    const check = checkSeedResponse('GET', SHOW, 200, conversation());

    expect(check).toEqual({
      operation: 'GET /api/v1/accounts/{account_id}/conversations/{conversation_id}',
      violations: [],
    });
  });

  it('refuses null where the seed types no null, naming the pointer', () => {
    const check = checkSeedResponse('GET', SHOW, 200, conversation({ priority: null, snoozed_until: null }));

    expect(check?.violations.map((violation) => violation.pointer).sort()).toEqual([
      '/priority',
      '/snoozed_until',
    ]);
    expect(check?.violations[0]?.message).toMatch(/must be/);
  });

  it('refuses a wrong type inside a referenced schema', () => {
    const check = checkSeedResponse('GET', SHOW, 200, conversation({ timestamp: 1700000000 }));
    const nested = checkSeedResponse(
      'GET',
      SHOW,
      200,
      conversation({ messages: [{ id: 1, content: null, message_type: 1 }] }),
    );

    expect(check?.violations).toEqual([{ pointer: '/timestamp', message: 'must be string, got 1700000000' }]);
    expect(nested?.violations.map((violation) => violation.pointer)).toEqual(['/messages/0/content']);
  });

  it('allows null where the seed says nullable', () => {
    const body = JSON.stringify({
      meta: { count: 1, current_page: '1' },
      payload: [
        { id: 1, name: 'Ada', email: null, phone_number: null, identifier: null, last_activity_at: null },
      ],
    });

    expect(checkSeedResponse('GET', '/api/v1/accounts/:account_id/contacts', 200, body)?.violations).toEqual(
      [],
    );
  });

  it('follows the listed exceptions, and nothing else', () => {
    const snoozed = checkSeedResponse('GET', SHOW, 200, conversation({ status: 'snoozed' }));
    const unknown = checkSeedResponse('GET', SHOW, 200, conversation({ status: 'archived' }));

    expect(snoozed?.violations).toEqual([]);
    expect(unknown?.violations.map((violation) => violation.pointer)).toEqual(['/status']);
  });

  it('refuses a success status the seed does not list, and holds errors to the error body', () => {
    const created = checkSeedResponse('GET', SHOW, 201, conversation());
    const conflict = checkSeedResponse('GET', SHOW, 409, JSON.stringify({ description: 'x', errors: [] }));
    const badError = checkSeedResponse('GET', SHOW, 404, JSON.stringify({ description: 4 }));

    expect(created?.violations[0]?.message).toMatch(/status 201 is not one the seed lists/);
    expect(conflict?.violations).toEqual([]);
    expect(badError?.violations.map((violation) => violation.pointer)).toEqual(['/description']);
  });

  it('checks nothing in a response the seed documents without content', () => {
    const route = '/api/v1/accounts/:account_id/teams/:team_id';

    expect(checkSeedResponse('DELETE', route, 200, '')?.violations).toEqual([]);
    expect(checkSeedResponse('GET', route, 200, '')?.violations[0]?.message).toMatch(/documents a body/);
  });
});
