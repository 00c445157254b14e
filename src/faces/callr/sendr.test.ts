import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaItems } from '../../core/media/media.tables.js';
import { telephonyCalls } from '../../core/telephony/telephony.tables.js';
import { createCallrTestApp, type CallrTestAccount } from './callr-test-kit.js';
import {
  bookWith,
  campaignDone,
  DATETIME,
  HASH,
  numbers,
  sentSmsTo,
  smsCampaign,
  type AddressBook,
  type Campaign,
  type SearchResults,
} from './sendr.test-kit.js';

let kit: Awaited<ReturnType<typeof createCallrTestApp>>;
let alice: CallrTestAccount;
let bob: CallrTestAccount;

beforeAll(async () => {
  kit = await createCallrTestApp();
  await kit.app.parley.startBackground();
  alice = await kit.account('alice sendr');
  bob = await kit.account('bob sendr');
}, 240_000);

afterAll(() => kit.app.close());

describe('sendr/10/campaign', { timeout: 180_000 }, () => {
  it('answers templates for both types and the IVR action templates', async () => {
    const template = await alice.result<Campaign>('sendr/10/campaign.get_object_template', ['VOICE']);
    expect(template).toMatchObject({
      id: '',
      type: 'VOICE',
      status: 'DRAFT',
      voice: { messages: [], loop: 1, ivr_actions: [] },
      stats: { total: 0, sent: 0, failed: 0, pending: 0 },
    });
    expect(template).not.toHaveProperty('sms');
    const sms = await alice.result<Campaign>('sendr/10/campaign.get_object_template', ['SMS']);
    expect(sms.sms).toEqual({ text: '', nature: 'MARKETING' });
    const bad = await alice.error('sendr/10/campaign.get_object_template', ['FAX']);
    expect(bad).toMatchObject({ code: -32602, message: expect.stringContaining("'type'") });
    const actions = await alice.result<{ action: string }[]>(
      'sendr/10/campaign.get_voice_ivr_action_objects_templates',
    );
    expect(actions.map((action) => action.action)).toEqual(['HANGUP', 'REPLAY', 'TRANSFER', 'BLACKLIST']);
  });

  it('checks a campaign without saving it and answers its problems', async () => {
    const template = await alice.result<Campaign>('sendr/10/campaign.get_object_template', ['SMS']);
    const check = await alice.result<{ valid: boolean; problems: { field: string; message: string }[] }>(
      'sendr/10/campaign.check',
      [{ ...template, name: 'Draft' }],
    );
    expect(check.valid).toBe(false);
    expect(check.problems.map((problem) => problem.field).sort()).toEqual(['address_books', 'sms.text']);

    const shape = await alice.result<{ valid: boolean; problems: { field: string }[] }>(
      'sendr/10/campaign.check',
      [{ name: '', type: 'VOICE', address_books: ['nothex'], voice: { messages: ['hello'] } }],
    );
    expect(shape.problems.map((problem) => problem.field).sort()).toEqual([
      'address_books.0',
      'name',
      'voice.messages.0',
    ]);
    const { book } = await bookWith(alice, 'Checked', 'phone\n0611111111\n', 0);
    const valid = await alice.result('sendr/10/campaign.check', [
      { ...template, name: 'Fine', address_books: [book.hash], sms: { text: 'Hi', nature: 'ALERTING' } },
    ]);
    expect(valid).toEqual({ valid: true, problems: [] });
    expect(
      (await alice.result<SearchResults<Campaign>>('sendr/10/campaign.search', [null, null])).hits,
    ).toEqual([]);
  });

  it('saves and edits drafts, and keeps them to their account', async () => {
    const { book } = await bookWith(alice, 'Voice book', 'phone\n0622222222\n', 0);
    const [media] = await kit.app.parley.ctx.db
      .insert(mediaItems)
      .values({
        accountId: alice.accountId,
        name: 'Jingle',
        status: 'READY',
        durationMs: 1500,
        source: 'AUDIO',
      })
      .returning();
    const saved = await alice.result<Campaign>('sendr/10/campaign.save', [
      {
        name: 'Reminder',
        type: 'VOICE',
        address_books: [book.hash],
        sender: 'BLOCKED',
        voice: {
          messages: [media?.id, 'TTS|TTS_EN-GB_DANIEL|Your appointment is tomorrow'],
          loop: 2,
          ivr_actions: [{ key: '1', action: 'TRANSFER', target: '+33612345678' }],
        },
        schedule: { date_start: '2099-01-01 08:00:00' },
      },
    ]);
    expect(saved).toEqual({
      id: expect.stringMatching(HASH),
      name: 'Reminder',
      type: 'VOICE',
      status: 'DRAFT',
      address_books: [book.hash],
      sender: 'BLOCKED',
      voice: {
        messages: [media?.id, 'TTS|TTS_EN-GB_DANIEL|Your appointment is tomorrow'],
        loop: 2,
        ivr_actions: [{ key: '1', action: 'TRANSFER', target: '+33612345678' }],
      },
      schedule: { date_start: '2099-01-01 08:00:00' },
      stats: { total: 0, sent: 0, failed: 0, pending: 0 },
      date_creation: expect.stringMatching(DATETIME),
      date_update: expect.stringMatching(DATETIME),
      date_started: '',
      date_finished: '',
    });

    const edited = await alice.result<Campaign>('sendr/10/campaign.save', [{ ...saved, name: 'Reminder 2' }]);
    expect(edited).toMatchObject({ id: saved.id, name: 'Reminder 2', voice: saved.voice });
    expect(await alice.result('sendr/10/campaign.get', [saved.id])).toEqual(edited);

    expect(await bob.error('sendr/10/campaign.get', [saved.id])).toMatchObject({ code: -32004 });
    expect(await bob.error('sendr/10/campaign.start', [saved.id])).toMatchObject({ code: -32004 });
    expect(await bob.error('sendr/10/campaign.save', [{ ...saved, name: 'Mine' }])).toMatchObject({
      code: -32004,
    });
    // bob cannot target alice's book either.
    const foreignBook = await bob.error('sendr/10/campaign.save', [
      { name: 'Steal', type: 'SMS', address_books: [book.hash], sms: { text: 'Hi' } },
    ]);
    expect(foreignBook.code).toBe(-32602);
    const noPart = await alice.error('sendr/10/campaign.save', [
      { name: 'No text', type: 'SMS', address_books: [] },
    ]);
    expect(noPart).toMatchObject({ code: -32602, message: expect.stringContaining("'obj'") });

    const search = await alice.result<SearchResults<Campaign>>('sendr/10/campaign.search', [
      { type: 'VOICE' },
      { order: 'name' },
    ]);
    expect(search.hits.map((hit) => hit.id)).toContain(saved.id);
    expect(await bob.result('sendr/10/campaign.search', [null, null])).toMatchObject({ total: 0 });

    expect(await alice.result('sendr/10/campaign.delete', [saved.id])).toBe(true);
    expect(await alice.error('sendr/10/campaign.get', [saved.id])).toMatchObject({ code: -32004 });
  });

  it('sends an SMS campaign once to every number of its books and ends FINISHED', async () => {
    const phones = numbers(10_000, 24);
    // Two books sharing four numbers: each number is one recipient.
    const first = await bookWith(alice, 'Run A', `phone\n${phones.slice(0, 14).join('\n')}\n`, 0);
    const second = await bookWith(alice, 'Run B', `phone\n${phones.slice(10).join('\n')}\n`, 0);
    const text = 'Spring sale: 20% off this weekend';
    const draft = await alice.result<Campaign>('sendr/10/campaign.save', [
      {
        name: 'Spring',
        type: 'SMS',
        address_books: [first.book.hash, second.book.hash],
        sender: 'Parley',
        sms: { text, nature: 'MARKETING' },
      },
    ]);

    expect(await alice.result('sendr/10/campaign.start', [draft.id])).toBe(true);
    const done = await campaignDone(alice, draft.id);

    expect(done).toMatchObject({
      status: 'FINISHED',
      stats: { total: 24, sent: 24, failed: 0, pending: 0 },
      date_started: expect.stringMatching(DATETIME),
      date_finished: expect.stringMatching(DATETIME),
    });
    const sent = await sentSmsTo(alice, text);
    expect(sent.sort()).toEqual(phones.map((phone) => `+33${phone.slice(1)}`).sort());
    expect(await sentSmsTo(bob, text)).toEqual([]);
    expect(await alice.error('sendr/10/campaign.start', [draft.id])).toMatchObject({ code: -32009 });
    expect(await alice.error('sendr/10/campaign.save', [{ ...done, name: 'Again' }])).toMatchObject({
      code: -32009,
    });
  });

  it('refuses to start a campaign that check finds wrong', async () => {
    const book = await alice.result<AddressBook>('sendr/10/addressbook.create', ['Empty', '']);
    const draft = await smsCampaign(alice, book.hash, 'Nobody gets this');
    const refused = await alice.error('sendr/10/campaign.start', [draft.id]);
    expect(refused).toMatchObject({ code: -32602, message: expect.stringContaining('no contacts') });
    expect((await alice.result<Campaign>('sendr/10/campaign.get', [draft.id])).status).toBe('DRAFT');
  });

  it('holds still while paused and resumes where it stopped', async () => {
    const phones = numbers(20_000, 30);
    const { book } = await bookWith(alice, 'Pausable', `phone\n${phones.join('\n')}\n`, 0);
    const text = 'Pause and resume';
    const startAt = Date.now() + 4000;
    const soon = new Date(startAt).toISOString().slice(0, 19).replace('T', ' ');
    const draft = await smsCampaign(alice, book.hash, text, soon);

    await alice.result('sendr/10/campaign.start', [draft.id]);
    await alice.result('sendr/10/campaign.pause', [draft.id]);
    // Past the schedule: the chunk queued for it has run and found the campaign paused.
    await new Promise((resolve) => setTimeout(resolve, startAt + 2500 - Date.now()));

    const paused = await alice.result<Campaign>('sendr/10/campaign.get', [draft.id]);
    expect(paused).toMatchObject({ status: 'PAUSED', stats: { total: 30, sent: 0, pending: 30 } });
    expect(await sentSmsTo(alice, text)).toEqual([]);
    expect(await bob.error('sendr/10/campaign.pause', [draft.id])).toMatchObject({ code: -32004 });

    await alice.result('sendr/10/campaign.start', [draft.id]);
    const done = await campaignDone(alice, draft.id);
    expect(done.stats).toEqual({ total: 30, sent: 30, failed: 0, pending: 0 });
    const sent = await sentSmsTo(alice, text);
    expect(sent).toHaveLength(30);
    expect(new Set(sent).size).toBe(30);
  });

  it('stops a campaign for good, leaving the rest pending', async () => {
    const { book } = await bookWith(alice, 'Stoppable', `phone\n${numbers(30_000, 5).join('\n')}\n`, 0);
    const draft = await smsCampaign(alice, book.hash, 'Never sent', '2099-01-01 00:00:00');
    await alice.result('sendr/10/campaign.start', [draft.id]);
    expect(await alice.error('sendr/10/campaign.delete', [draft.id])).toMatchObject({ code: -32009 });
    await alice.result('sendr/10/campaign.stop', [draft.id]);
    const stopped = await alice.result<Campaign>('sendr/10/campaign.get', [draft.id]);
    expect(stopped).toMatchObject({ status: 'STOPPED', stats: { total: 5, sent: 0, pending: 5 } });
    expect(stopped.date_finished).toMatch(DATETIME);
    expect(await alice.error('sendr/10/campaign.start', [draft.id])).toMatchObject({ code: -32009 });
    expect(await alice.result('sendr/10/campaign.delete', [draft.id])).toBe(true);
  });

  it('places one broadcast call per number for a voice campaign', async () => {
    const phones = numbers(40_000, 3);
    const { book } = await bookWith(alice, 'Voice run', `phone\n${phones.join('\n')}\n`, 0);
    const [media] = await kit.app.parley.ctx.db
      .insert(mediaItems)
      .values({
        accountId: alice.accountId,
        name: 'Notice',
        status: 'READY',
        durationMs: 1000,
        source: 'AUDIO',
      })
      .returning();
    const draft = await alice.result<Campaign>('sendr/10/campaign.save', [
      {
        name: 'Voice notice',
        type: 'VOICE',
        address_books: [book.hash],
        sender: 'BLOCKED',
        voice: { messages: [media?.id], loop: 1 },
      },
    ]);

    await alice.result('sendr/10/campaign.start', [draft.id]);
    const done = await campaignDone(alice, draft.id);

    expect(done.stats).toEqual({ total: 3, sent: 3, failed: 0, pending: 0 });
    const calls = await kit.app.parley.ctx.db
      .select({ number: telephonyCalls.number })
      .from(telephonyCalls)
      .where(and(eq(telephonyCalls.accountId, alice.accountId), eq(telephonyCalls.kind, 'broadcast')));
    expect(calls.map((call) => call.number).sort()).toEqual(phones.map((phone) => `+33${phone.slice(1)}`));
  });
});
