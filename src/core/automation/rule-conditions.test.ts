import { describe, expect, it } from 'vitest';
import type { ConversationSnapshot, MessageSnapshot } from '../conversations/conversations.events.js';
import { conditionsHold } from './rule-conditions.js';
import type { RuleCondition } from './rule-definition.js';

const now = Date.parse('2026-06-15T12:00:00Z');

function facts(overrides: { labels?: string[]; assigneeId?: number | null; content?: string } = {}) {
  const conversation = {
    id: 1,
    status: 'open',
    priority: null,
    assigneeId: overrides.assigneeId ?? null,
    teamId: 7,
    inboxId: 3,
    labels: overrides.labels ?? [],
    customAttributes: { order_total: 150, renewal: '2026-06-01' },
    additionalAttributes: { browser_language: 'fr' },
    contact: {
      email: 'Jane@Example.com',
      phoneNumber: '+33123456789',
      additionalAttributes: { city: 'Lyon' },
      customAttributes: { tier: 'gold' },
    },
  } as unknown as ConversationSnapshot;
  const message = {
    content: overrides.content ?? 'I need a Refund',
    messageType: 'incoming',
  } as MessageSnapshot;
  return { conversation, message };
}

const when = (
  attributeKey: string,
  filterOperator: RuleCondition['filterOperator'],
  values: string[],
  extra: Partial<RuleCondition> = {},
): RuleCondition => ({ attributeKey, filterOperator, values, queryOperator: 'and', ...extra });

describe('automation rule conditions', () => {
  it.each([
    [when('content', 'contains', ['refund']), true],
    [when('content', 'does_not_contain', ['refund']), false],
    [when('content', 'starts_with', ['i need']), true],
    [when('message_type', 'equal_to', ['incoming']), true],
    [when('email', 'equal_to', ['jane@example.com']), true],
    [when('phone_number', 'starts_with', ['+33']), true],
    [when('city', 'not_equal_to', ['paris']), true],
    [when('browser_language', 'equal_to', ['fr']), true],
    [when('team_id', 'equal_to', ['7']), true],
    [when('status', 'equal_to', ['all']), true],
    [when('assignee_id', 'is_not_present', []), true],
    [when('assignee_id', 'not_equal_to', ['5']), true],
    [when('assignee_id', 'equal_to', ['5']), false],
    [when('priority', 'equal_to', ['nil']), true],
    [when('labels', 'is_present', []), false],
    [
      when('order_total', 'is_greater_than', ['100'], {
        customAttribute: { model: 'conversation', displayType: 'number' },
      }),
      true,
    ],
    [
      when('order_total', 'is_less_than', ['100'], {
        customAttribute: { model: 'conversation', displayType: 'number' },
      }),
      false,
    ],
    [
      when('renewal', 'days_before', ['7'], {
        customAttribute: { model: 'conversation', displayType: 'date' },
      }),
      true,
    ],
    [
      when('renewal', 'days_before', ['30'], {
        customAttribute: { model: 'conversation', displayType: 'date' },
      }),
      false,
    ],
    [
      when('tier', 'equal_to', ['GOLD'], { customAttribute: { model: 'contact', displayType: 'list' } }),
      true,
    ],
  ])('%o holds: %s', (condition, expected) => {
    expect(conditionsHold([condition], facts(), now)).toBe(expected);
  });

  it('matches labels by any of the values', () => {
    const withLabels = facts({ labels: ['VIP', 'billing'] });

    expect(conditionsHold([when('labels', 'equal_to', ['vip'])], withLabels, now)).toBe(true);
    expect(conditionsHold([when('labels', 'not_equal_to', ['billing'])], withLabels, now)).toBe(false);
  });

  it('binds AND tighter than OR, as Chatwoot’s SQL does', () => {
    const no = when('content', 'contains', ['nope']);
    const yes = when('content', 'contains', ['refund']);
    const or = (condition: RuleCondition): RuleCondition => ({ ...condition, queryOperator: 'or' });

    expect(conditionsHold([no, or(yes), no], facts(), now)).toBe(false);
    expect(conditionsHold([or(yes), no, yes], facts(), now)).toBe(true);
    expect(conditionsHold([no, or(yes)], facts(), now)).toBe(false);
    expect(conditionsHold([or(no), yes], facts(), now)).toBe(true);
    expect(conditionsHold([], facts(), now)).toBe(true);
  });

  it('treats message attributes as absent on conversation events', () => {
    const conversationOnly = { ...facts(), message: null };

    expect(conditionsHold([when('content', 'contains', ['refund'])], conversationOnly, now)).toBe(false);
    expect(conditionsHold([when('content', 'does_not_contain', ['refund'])], conversationOnly, now)).toBe(
      true,
    );
  });
});
