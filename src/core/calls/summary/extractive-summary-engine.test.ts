import { describe, expect, it } from 'vitest';
import type { SummaryInputSegment } from '../engines.js';
import { NOTHING_TO_SUMMARIZE, createExtractiveSummaryEngine } from './extractive-summary-engine.js';

const CALL: SummaryInputSegment[] = [
  {
    speaker: 'Agent',
    startSeconds: 0,
    endSeconds: 4,
    text: 'Hello, thanks for calling Acme support. How can I help you today?',
  },
  {
    speaker: 'Customer',
    startSeconds: 4,
    endSeconds: 12,
    text: 'Hi. We want to renew our support contract, but the renewal price went up by twenty percent.',
  },
  {
    speaker: 'Agent',
    startSeconds: 12,
    endSeconds: 20,
    text: 'I understand. The new contract price includes the premium support plan with a faster response time.',
  },
  {
    speaker: 'Customer',
    startSeconds: 20,
    endSeconds: 27,
    text: 'We do not need the premium support plan. Can we keep the standard plan at the old price?',
  },
  { speaker: 'Agent', startSeconds: 27, endSeconds: 30, text: 'Okay. Let me check.' },
  {
    speaker: 'Agent',
    startSeconds: 30,
    endSeconds: 40,
    text: 'Yes, the standard support plan can be renewed at the old price if you sign the renewal contract before Friday.',
  },
  {
    speaker: 'Customer',
    startSeconds: 40,
    endSeconds: 45,
    text: 'Great. Please send the renewal contract by email.',
  },
  {
    speaker: 'Agent',
    startSeconds: 45,
    endSeconds: 50,
    text: 'Sure, I will email the contract this afternoon.',
  },
  { speaker: 'Customer', startSeconds: 50, endSeconds: 52, text: 'Thank you. Bye.' },
];

const engine = createExtractiveSummaryEngine();

describe('extractive summary engine', () => {
  it('summarizes with the central sentences, in the order they were said', async () => {
    const result = await engine.summarize({ title: 'Contract renewal', language: 'en', segments: CALL });

    expect(result.note).toBeUndefined();
    const renew = result.summary.indexOf('We want to renew our support contract');
    const deal = result.summary.indexOf('the standard support plan can be renewed at the old price');
    expect(renew).toBeGreaterThanOrEqual(0);
    expect(deal).toBeGreaterThan(renew);
    for (const smallTalk of ['Hello', 'Let me check', 'Bye', 'How can I help']) {
      expect(result.summary).not.toContain(smallTalk);
    }
  });

  it('gives highlights with who said them and when', async () => {
    const { highlights } = await engine.summarize({ title: null, language: 'en', segments: CALL });
    expect(highlights.length).toBe(5);
    expect(highlights).toContainEqual({
      text: 'Yes, the standard support plan can be renewed at the old price if you sign the renewal contract before Friday.',
      startSeconds: 30,
      endSeconds: 40,
      speaker: 'Agent',
    });
    const renewal = highlights.find((highlight) => highlight.text.startsWith('We want to renew'));
    expect(renewal?.speaker).toBe('Customer');
    // The sentence starts after "Hi. " inside its segment: timing is interpolated, not the segment's start.
    expect(renewal?.startSeconds).toBeGreaterThan(4);
    expect(renewal?.startSeconds).toBeLessThan(5);
    expect(highlights.map((highlight) => highlight.startSeconds)).toEqual(
      [...highlights.map((highlight) => highlight.startSeconds)].sort((a, b) => a - b),
    );
  });

  it('names the topics the call keeps coming back to, scored, with their first mention', async () => {
    const { topics } = await engine.summarize({ title: null, language: 'en', segments: CALL });
    const names = topics.map((topic) => topic.name);
    expect(names.slice(0, 2).sort()).toEqual(['contract', 'support']);
    expect(names).toContain('price');
    expect(names).toContain('support plan');
    expect(names).not.toContain('old');
    expect(names).not.toContain('thanks');
    expect(topics[0]?.score).toBe(1);
    for (const [index, topic] of topics.entries()) {
      expect(topic.score).toBeGreaterThan(0);
      expect(topic.score).toBeLessThanOrEqual(topics[index - 1]?.score ?? 1);
    }
    expect(topics.find((topic) => topic.name === 'support')?.startSeconds).toBe(0);
    expect(topics.find((topic) => topic.name === 'support plan')?.startSeconds).toBeGreaterThan(12);
  });

  it('is deterministic', async () => {
    const input = { title: 'Renewal', language: 'en', segments: CALL };
    expect(await engine.summarize(input)).toEqual(await engine.summarize(input));
  });

  it('says there is nothing to summarize for an empty transcript', async () => {
    for (const segments of [[], [{ speaker: 'Agent', startSeconds: 0, endSeconds: 3, text: '   ' }]]) {
      expect(await engine.summarize({ title: null, language: null, segments })).toEqual({
        summary: '',
        highlights: [],
        topics: [],
        note: NOTHING_TO_SUMMARIZE,
      });
    }
  });

  it('cuts an unpunctuated recognizer transcript into readable sentences', async () => {
    const words = 'the customer asked about the price of the contract and the meeting tomorrow '
      .repeat(6)
      .trim();
    const result = await engine.summarize({
      title: null,
      language: 'en',
      segments: [{ speaker: 'channel 0', startSeconds: 10, endSeconds: 40, text: words }],
    });
    expect(result.highlights.length).toBeGreaterThanOrEqual(2);
    for (const highlight of result.highlights) {
      expect(highlight.text.split(' ').length).toBeLessThanOrEqual(30);
      expect(highlight.startSeconds).toBeGreaterThanOrEqual(10);
      expect(highlight.endSeconds).toBeLessThanOrEqual(40);
    }
    expect(result.topics.map((topic) => topic.name)).toEqual(
      expect.arrayContaining(['price', 'contract', 'meeting']),
    );
  });
});
