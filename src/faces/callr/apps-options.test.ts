import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMediaItem } from '../../core/media/media-items.js';
import { voiceApps } from '../../core/voice-apps/voice-apps.tables.js';
import type { Db } from '../../platform/db/database.js';
import type { TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import type { CallrApp } from './app.map.js';
import { createCallrTestApp, type CallrTestAccount } from './callr-test-kit.js';

/** The package options objects of apps.create / apps.edit: defaults, validation, media references. */
describe(`CALLR apps.* options (${backendName})`, () => {
  let app: TestApp;
  let db: Db;
  let acme: CallrTestAccount;
  let other: CallrTestAccount;

  beforeAll(async () => {
    const kit = await createCallrTestApp();
    app = kit.app;
    db = app.parley.ctx.db;
    acme = await kit.account('Acme Options');
    other = await kit.account('Other Options');
  });
  afterAll(async () => {
    await app.close();
  });

  it('fills CALLTRACKING10 options with the seed defaults, keeping what was given', async () => {
    const welcome = await createMediaItem(db, acme.accountId, 'Welcome');
    const created = await acme.result<CallrApp>('apps.create', [
      'CALLTRACKING10',
      'Tracking',
      {
        targets: [{ number: '+33612345678', timeout: 20 }, { number: '+33698765432' }],
        medias: { welcome: welcome.id },
        options: { record_calls: true, transcription: true, locale: 'fr_FR', feeds: null },
        ga: { ua: 'UA-1234-5' },
      },
    ]);
    expect(created.package).toEqual({ has_did: true, name: 'CALLTRACKING10', type: 'CALLTRACKING' });
    expect(created.p).toEqual({
      ga: { ua: 'UA-1234-5' },
      medias: { bridge: 0, ringtone: 0, welcome: welcome.id, whisper: 0 },
      options: {
        feeds: 'both',
        locale: 'fr_FR',
        ner: true,
        pii: true,
        record_calls: true,
        sentiment: true,
        transcription: true,
      },
      targets: [
        { number: '+33612345678', timeout: 20 },
        { number: '+33698765432', timeout: 30 },
      ],
      vms: {
        active: false,
        email_template: '',
        emails: [],
        file_format: 'wav',
        file_name: '{DATETIME}-{CALLID}',
        intro: 0,
        locale: '',
        ner: true,
        pii: true,
        record: true,
        sentiment: true,
        timeout: 120,
        timezone: 'UTC',
        transcription: false,
      },
    });
  });

  it('refuses bad types, names and options with -32602 naming the param', async () => {
    const cases: [unknown[], RegExp][] = [
      [['REALTIME11', 'x', { url: 'https://a.test' }], /'type'/],
      [['REALTIME10', 42, { url: 'https://a.test' }], /'name'/],
      [['REALTIME10', '   ', { url: 'https://a.test' }], /name/],
      [['REALTIME10', 'x', 'https://a.test'], /'options'/],
      [['REALTIME10', 'x', null], /options\.url/],
      [['REALTIME10', 'x', { url: 'ftp://a.test/x' }], /options\.url: expected an http\(s\) URL/],
      [['REALTIME10', 'x', { url: 'https://a.test', data_format: 'XML' }], /options\.data_format/],
      [['REALTIME10', 'x', { url: 'https://a.test', callback: 'y' }], /callback/],
      [['CLICKTOCALL10', 'x', { options: { A_attempts: 9 } }], /options\.options\.A_attempts/],
      [['CLICKTOCALL10', 'x', { options: { A_retrypause: 10 } }], /options\.options\.A_retrypause/],
      [
        ['CLICKTOCALL10', 'x', { options: { A_vms_detect: { silence_ms: 20 } } }],
        /options\.options\.A_vms_detect\.silence_ms/,
      ],
      [['CLICKTOCALL10', 'x', { options: { transcription: true } }], /transcription needs record_calls/],
      [['CALLTRACKING10', 'x', { targets: [{ number: '0612345678' }] }], /options\.targets\.0\.number/],
      [['CALLTRACKING10', 'x', { targets: [{ number: '+33612345678', timeout: 301 }] }], /timeout/],
      [['CALLTRACKING10', 'x', { vms: { timeout: 10 } }], /options\.vms\.timeout/],
      [['CALLTRACKING10', 'x', { vms: { timezone: 'Mars/Olympus' } }], /options\.vms\.timezone/],
      [['CALLTRACKING10', 'x', { vms: { emails: ['not-an-email'] } }], /options\.vms\.emails/],
      [['CALLTRACKING10', 'x', { vms: { file_format: 'ogg' } }], /options\.vms\.file_format/],
      [['CALLTRACKING10', 'x', { options: { feeds: 'leg_c' } }], /options\.options\.feeds/],
      [['ACTIONS10', 'x', { format: 'JSON', script: 'a' }], /options\.format/],
      [['ACTIONS10', 'x', { script: '  ' }], /options\.script/],
    ];
    for (const [params, message] of cases) {
      const error = await acme.error('apps.create', params);
      expect(error.code, JSON.stringify(params)).toBe(-32602);
      expect(error.message, JSON.stringify(params)).toMatch(message);
    }
    const stored = await db.select().from(voiceApps).where(eq(voiceApps.name, 'x'));
    expect(stored).toEqual([]);
  });

  it("refuses media ids that are not in the account's library", async () => {
    const theirs = await createMediaItem(db, other.accountId, 'Not yours');
    const mine = await createMediaItem(db, acme.accountId, 'Mine');
    const error = await acme.error('apps.create', [
      'CLICKTOCALL10',
      'Medias',
      {
        medias: { A_welcome: mine.id, B_whisper: theirs.id },
        options: { A_vms_detect: { dtmf_media: mine.id + 100_000 } },
      },
    ]);
    expect(error.code).toBe(-32602);
    expect(error.message).toMatch(
      /options\.medias\.B_whisper: media \d+ is not in the account's media library/,
    );
    expect(error.message).toMatch(/options\.options\.A_vms_detect\.dtmf_media/);
    expect(error.message).not.toMatch(/A_welcome/);

    const tracking = await acme.result<CallrApp>('apps.create', ['CALLTRACKING10', 'Edit medias', null]);
    const editError = await acme.error('apps.edit', [tracking.hash, null, { vms: { intro: theirs.id } }]);
    expect(editError.message).toMatch(/options\.vms\.intro/);
    const edited = await acme.result<CallrApp>('apps.edit', [
      tracking.hash,
      null,
      { vms: { intro: mine.id } },
    ]);
    expect(edited.p).toMatchObject({ vms: { intro: mine.id } });
  });
});
