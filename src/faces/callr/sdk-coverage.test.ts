import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, TEST_PLATFORM_TOKEN, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { speechToolsAvailable } from '../../testing/speech.js';
import { waitFor } from '../../testing/wait.js';
import { importInventory, inventoryFromCsv } from '../../core/numbers/number-import.js';
import { telephonyRuntimeOf } from '../../core/telephony/telephony-runtime.js';
import { createCallrTestApp } from './callr-test-kit.js';
import type { AreaCode, BuyStatus, Reservation } from './numbers.test-kit.js';
import { CallrSdkError, createCallrSdkClient, type CallrSdkClient } from './sdk-client.js';

/**
 * The store, SMS, broadcast calls, CDRs and the media library through the official `callr` SDK
 * (1.2.0) on a real port, each result checked field by field against the seed's object
 * (callr.objects.json): the names, and each field's type and format.
 */

const tools = speechToolsAvailable(['espeak-ng', 'ffmpeg']);
if (!tools.available) console.warn(`CALLR SDK TTS checks skipped: ${tools.reason}`);

// ---- the seed's objects (callr.objects.json; tests never read ../shared) ----

const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const HASH = /^[0-9A-F]{8}$/;

/**
 * A seed object as "field:type …". Types: string, int, bool, object, array, or a format (below);
 * a trailing "?" also accepts "" (a value not set yet: the seed's strings have no null); "A|B|C"
 * is one of the seed's values ("|A|B" also accepts "").
 */
const formats: Record<string, RegExp> = {
  datetime: DATETIME,
  amount: /^-?\d+\.\d{2}$/,
  hash: HASH,
  e164: /^\+[1-9]\d{6,14}$/,
  country: /^[A-Z]{2}$/,
  intl_prefix: /^\+\d+$/,
  digits: /^\d+$/,
};
const seed = {
  availability: 'CLASSIC:int GOLD:int',
  didCountry: 'available:object code:country label:string',
  didAreaCode:
    'available:object country_code:country id:int intl_prefix:intl_prefix label:string local_prefix:string ' +
    'type:GEOGRAPHIC|MOBILE|NON-GEOGRAPHIC|PERSONAL|PLATFORM|SHAREDREVENUE|SMS-ONLY|SPECIAL|TOLLFREE|VERIFIED',
  didType:
    'available:object label:string ' +
    'code:GEOGRAPHIC|MOBILE|NON-GEOGRAPHIC|PERSONAL|PLATFORM|SHAREDREVENUE|SMS-ONLY|SPECIAL|TOLLFREE|VERIFIED',
  contract: 'billing_mode:POSTPAID|PREPAID duration_month:int end_date:datetime',
  cost:
    'amount_per_month:amount amount_prepaid_debit:amount amount_unit:amount discount_percent:int ' +
    'quantity:int quantity_paying:int',
  quote: 'available:int contract:object cost:object',
  storeItem: 'hash:hash intl_number:e164 local_number:digits',
  reservation: 'contract:object cost:object expire:datetime items:array token:string',
  buyStatus: 'contract:object cost:object errors:array success:array',
  quotaStatus:
    'assigned_count:int assigned_max:int quota_current_count:int quota_current_remaining:int ' +
    'quota_max_over_period:int quota_period_days:int',
  sms:
    'b_customer_debit:amount b_customer_mode:POSTPAID|PREPAID date_creation:datetime ' +
    'date_received:datetime? date_sent:datetime? date_update:datetime encoding:GSM|UNICODE from:string ' +
    'hash:hash nature:ALERTING|MARKETING options:object parts:int status_error:string text:string ' +
    'status:CREATED|ERROR|EXPIRED|FAILED|PENDING|RECEIVED|REMOTE_QUEUED|SENT to:string type:IN|OUT ' +
    'user_data:string',
  cdrOut:
    'answer:datetime? billing_customer_cost_label:string billing_customer_credit_eur:amount ' +
    'billing_customer_debit_eur:amount callid:int callid_in:int cli_name:string cli_number:e164? ' +
    'cli_pres:allowed_passed_screen|prohib_passed_screen customer_field:string ' +
    'dialstatus:ANSWER|BUSY|CANCEL|CHANUNAVAIL|CONGESTION|NOANSWER|NODIAL duration:int ' +
    'duration_answered:int duration_billed:int hangup:datetime hangupcause:int ' +
    'hangupsource:CALLEE|CALLER|GATEWAY number:e164 number_country_code:country number_type:string ' +
    'package_name:string scenario_hash:hash? scenario_name:string start:datetime',
  // `voice` is "" until the audio was synthesised.
  mediaLibrary:
    'category:array content:string duration:int hash:hash id:int is_editable:bool language:array ' +
    'name:string status:ERROR|PENDING_CONTENT|PENDING_CONVERSION|PROCESSING|READY tags:object url:string ' +
    'voice:|TTS_DE-DE_ANNA|TTS_DE-DE_YANNICK|TTS_EN-GB_DANIEL|TTS_EN-GB_SERENA|TTS_FR-FR_AUDREY|' +
    'TTS_FR-FR_SEBASTIEN|TTS_FR-FR_THOMAS|TTS_FR-FR_VIRGINIE|TTS_IT-IT_PAOLO|TTS_IT-IT_SILVIA|' +
    'TTS_NL-BE_ELLEN|TTS_NL-NL_CLAIRE|TTS_NL-NL_XANDER',
} as const;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What `value` should have been, or null when it is of `type`. */
function typeProblem(value: unknown, type: string): string | null {
  if (type.includes('|')) return type.split('|').includes(value as string) ? null : `one of ${type}`;
  if (type === 'string') return typeof value === 'string' ? null : 'a string';
  if (type === 'int') return Number.isInteger(value) ? null : 'an int';
  if (type === 'bool') return typeof value === 'boolean' ? null : 'a bool';
  if (type === 'object') return isPlainObject(value) ? null : 'an object';
  if (type === 'array') return Array.isArray(value) ? null : 'an array';
  const orEmpty = type.endsWith('?');
  const pattern = formats[type.replace(/\?$/, '')];
  if (!pattern) throw new Error(`unknown seed type ${type}`);
  if (typeof value === 'string' && ((orEmpty && value === '') || pattern.test(value))) return null;
  return `a ${type} (${pattern})`;
}

/** Fails unless `value` is the seed object: exactly its field names, each of its type. */
function expectSeedShape(value: unknown, shape: string, what: string): void {
  expect(isPlainObject(value), `${what} is an object`).toBe(true);
  const object = value as Record<string, unknown>;
  const fields = shape.split(' ').map((entry) => {
    const at = entry.indexOf(':');
    return [entry.slice(0, at), entry.slice(at + 1)] as const;
  });
  expect(Object.keys(object).sort(), `${what}'s fields`).toEqual(fields.map(([name]) => name).sort());
  const problems = fields.flatMap(([field, type]) => {
    const problem = typeProblem(object[field], type);
    return problem ? [`${what}.${field} = ${JSON.stringify(object[field])} is not ${problem}`] : [];
  });
  expect(problems).toEqual([]);
}

// ---- the store's inventory, imported with the core import ----

// The operator's CSV, read and imported by the core (as `parley numbers import` does).
const INVENTORY = inventoryFromCsv(`number,country_code,type,class,local_prefix,area_label,monthly_cents
+33140000001,FR,GEOGRAPHIC,CLASSIC,01,Paris,100
+33140000002,FR,GEOGRAPHIC,CLASSIC,01,Paris,100
+33140000003,FR,GEOGRAPHIC,CLASSIC,01,Paris,100
+33140000090,FR,GEOGRAPHIC,GOLD,01,Paris,500
+33612345670,FR,MOBILE,CLASSIC,06,,200
+33612345671,FR,MOBILE,CLASSIC,06,,200
+16469820800,US,GEOGRAPHIC,CLASSIC,646,New York,150
`);

const FROM = '2000-01-01 00:00:00';
const TO = '2100-01-01 00:00:00';

describe(`CALLR store, SMS, calls and media through the official Node SDK (${backendName})`, () => {
  let app: TestApp;
  let client: CallrSdkClient;

  beforeAll(async () => {
    const kit = await createCallrTestApp();
    app = kit.app;
    const account = await kit.account('Sdk coverage');
    const added = await kit.inject({
      method: 'POST',
      url: `/api/v1/accounts/${account.accountId}/members`,
      headers: bearer(TEST_PLATFORM_TOKEN),
      payload: {
        email: 'coverage@acme.test',
        name: 'Coverage Admin',
        password: 'coverage-password-1',
        role: 'administrator',
      },
    });
    expect(added.statusCode, added.body).toBe(201);
    const report = await importInventory(app.parley.ctx.db, INVENTORY);
    expect(report).toMatchObject({ imported: INVENTORY.length, invalid: 0 });
    await app.parley.startBackground();
    const baseUrl = await app.parley.server.listen({ port: 0, host: '127.0.0.1' });
    client = createCallrSdkClient(baseUrl, 'coverage@acme.test', 'coverage-password-1');
  }, 120_000);
  afterAll(async () => {
    await app.close();
  });

  describe('did/areacode.* and did/store.*', () => {
    async function parisAreaCode(): Promise<AreaCode> {
      const list = await client.call<AreaCode[]>('did/areacode.get_list', 'FR', 'GEOGRAPHIC');
      const paris = list.find((entry) => entry.local_prefix === '01');
      if (!paris) throw new Error('no Paris area code');
      return paris;
    }

    it('did/areacode.countries: DID.Country objects with DID.Store.Availability', async () => {
      const countries = await client.call<{ code: string; available: unknown }[]>('did/areacode.countries');
      expect(countries.map((country) => country.code)).toEqual(['FR', 'US']);
      for (const country of countries) {
        expectSeedShape(country, seed.didCountry, `DID.Country ${country.code}`);
        expectSeedShape(country.available, seed.availability, 'DID.Store.Availability');
      }
      expect(countries[0]).toEqual({ available: { CLASSIC: 5, GOLD: 1 }, code: 'FR', label: 'France' });
      expect(countries[1]).toMatchObject({ available: { CLASSIC: 1, GOLD: 0 }, code: 'US' });
    });

    it('did/areacode.get_list: DID.AreaCode objects, all or of one type', async () => {
      const all = await client.call<AreaCode[]>('did/areacode.get_list', 'FR', null);
      expect(all.map((entry) => `${entry.type} ${entry.local_prefix}`)).toEqual([
        'GEOGRAPHIC 01',
        'MOBILE 06',
      ]);
      for (const entry of all) {
        expectSeedShape(entry, seed.didAreaCode, `DID.AreaCode ${entry.local_prefix}`);
        expectSeedShape(entry.available, seed.availability, 'DID.Store.Availability');
      }
      expect(all[0]).toMatchObject({
        country_code: 'FR',
        intl_prefix: '+331',
        label: 'Paris',
        available: { CLASSIC: 3, GOLD: 1 },
      });
      // The second param is optional: the SDK may leave it out.
      expect(await client.call<AreaCode[]>('did/areacode.get_list', 'FR')).toEqual(all);
      const mobiles = await client.call<AreaCode[]>('did/areacode.get_list', 'FR', 'MOBILE');
      expect(mobiles.map((entry) => entry.id)).toEqual([all[1]?.id]);
      await expect(client.call('did/areacode.get_list', 'France')).rejects.toMatchObject({ code: -32602 });
    });

    it('did/areacode.types: DID.Type objects', async () => {
      const types = await client.call<{ code: string; available: unknown }[]>('did/areacode.types', 'FR');
      expect(types.map((type) => type.code)).toEqual(['GEOGRAPHIC', 'MOBILE']);
      for (const type of types) {
        expectSeedShape(type, seed.didType, `DID.Type ${type.code}`);
        expectSeedShape(type.available, seed.availability, 'DID.Store.Availability');
      }
      expect(types[1]).toMatchObject({ available: { CLASSIC: 2, GOLD: 0 }, label: 'Mobile' });
    });

    it('did/store.get_quote: a DID.Store.Quote with its Contract and Cost, reserving nothing', async () => {
      const paris = await parisAreaCode();
      const quote = await client.call<{ available: number; contract: unknown; cost: unknown }>(
        'did/store.get_quote',
        paris.id,
        'CLASSIC',
        2,
      );
      expectSeedShape(quote, seed.quote, 'DID.Store.Quote');
      expectSeedShape(quote.contract, seed.contract, 'DID.Store.Contract');
      expectSeedShape(quote.cost, seed.cost, 'DID.Store.Cost');
      expect(quote.available).toBe(2);
      expect(quote.cost).toMatchObject({ quantity: 2, quantity_paying: 2, discount_percent: 0 });
      expect((await parisAreaCode()).available.CLASSIC).toBe(3);
    });

    it('did/store.reserve → view_order → buy_order → view_order, then get_quota_status', async () => {
      const paris = await parisAreaCode();
      const reservation = await client.call<Reservation>(
        'did/store.reserve',
        paris.id,
        'CLASSIC',
        2,
        'SEQUENTIAL',
      );
      expectSeedShape(reservation, seed.reservation, 'DID.Store.Reservation');
      expectSeedShape(reservation.contract, seed.contract, 'DID.Store.Contract');
      expectSeedShape(reservation.cost, seed.cost, 'DID.Store.Cost');
      expect(reservation.items).toHaveLength(2);
      for (const item of reservation.items) expectSeedShape(item, seed.storeItem, 'DID.Store.Item');
      expect(reservation.items.map((item) => [item.intl_number, item.local_number])).toEqual([
        ['+33140000001', '0140000001'],
        ['+33140000002', '0140000002'],
      ]);
      expect(Date.parse(`${reservation.expire.replace(' ', 'T')}Z`)).toBeGreaterThan(Date.now());
      expect((await parisAreaCode()).available.CLASSIC).toBe(1);

      expect(await client.call<Reservation>('did/store.view_order', reservation.token)).toEqual(reservation);

      const bought = await client.call<BuyStatus>('did/store.buy_order', reservation.token);
      expectSeedShape(bought, seed.buyStatus, 'DID.Store.BuyStatus');
      expectSeedShape(bought.contract, seed.contract, 'DID.Store.Contract');
      expectSeedShape(bought.cost, seed.cost, 'DID.Store.Cost');
      expect(bought.errors).toEqual([]);
      expect(bought.success).toEqual(reservation.items);
      expect(bought.cost).toMatchObject({ quantity: 2, quantity_paying: 2 });

      const after = await client.call<Reservation>('did/store.view_order', reservation.token);
      expectSeedShape(after, seed.reservation, 'DID.Store.Reservation');
      expect(after.items).toEqual(reservation.items);
      await expect(client.call('did/store.buy_order', reservation.token)).rejects.toMatchObject({
        code: -32009,
      });

      const quota = await client.call<Record<string, number>>('did/store.get_quota_status');
      expectSeedShape(quota, seed.quotaStatus, 'DID.Store.QuotaStatus');
      expect(quota.assigned_count).toBe(2);
      expect(quota.quota_current_count).toBe(2);
      expect(quota.assigned_max).toBeGreaterThanOrEqual(2);
    });
  });

  describe('sms.*', () => {
    it('sms.send answers a hash; sms.get shows the SMS object until it is delivered', async () => {
      const smsHash = await client.call<string>('sms.send', '', '+33698765431', 'Hello from the SDK', {
        nature: 'MARKETING',
        user_data: 'sdk42',
      });
      expect(smsHash).toMatch(HASH);
      const first = await client.call<Record<string, unknown>>('sms.get', smsHash);
      expectSeedShape(first, seed.sms, 'SMS');
      expect(first).toMatchObject({
        hash: smsHash,
        type: 'OUT',
        from: 'SMS',
        to: '+33698765431',
        text: 'Hello from the SDK',
        encoding: 'GSM',
        parts: 1,
        nature: 'MARKETING',
        user_data: 'sdk42',
      });
      const delivered = await waitFor(
        async () => {
          const sms = await client.call<Record<string, unknown>>('sms.get', smsHash);
          return sms.status === 'RECEIVED' ? sms : undefined;
        },
        { timeoutMs: 30_000, what: 'the SMS to be delivered' },
      );
      expectSeedShape(delivered, seed.sms, 'SMS');
      expect(delivered.date_sent).toMatch(DATETIME);
      expect(delivered.date_received).toMatch(DATETIME);
      expect(delivered.status_error).toBe('');
      expect(delivered.options).toMatchObject({ nature: 'MARKETING', user_data: 'sdk42' });
      await expect(client.call('sms.get', 'FFFFFFFF')).rejects.toMatchObject({ code: -32004 });
      // A well-formed hash of a large id (past 2^31) is just not found.
      await expect(client.call('sms.get', 'C40BF07B')).rejects.toMatchObject({ code: -32004 });
    });
  });

  describe('calls.broadcast_1 and cdr.get', () => {
    it.skipIf(!tools.available)(
      'broadcasts a TTS message and finds the call in cdr.get once it ended',
      { timeout: 60_000 },
      async () => {
        const runtime = telephonyRuntimeOf(app.parley.ctx.config);
        if (!runtime) throw new Error('no telephony runtime');
        runtime.simulator.forceOutcome('+33612350077', {
          outcome: 'answer',
          ringSeconds: 0.5,
          talkSeconds: 120,
        });
        const callid = await client.call<number>(
          'calls.broadcast_1',
          { number: '+33612350077', timeout: 25 },
          ['TTS|TTS_EN-GB_DANIEL|Your parcel arrives tomorrow.'],
          { cdr_field: 'sdkcast1', cli: 'BLOCKED', loop: 1 },
        );
        expect(Number.isInteger(callid)).toBe(true);

        const cdr = await waitFor(
          async () => {
            const cdrs = await client.call<Record<string, unknown>[]>('cdr.get', 'OUT', FROM, TO, null, null);
            return cdrs.find((entry) => entry.callid === callid);
          },
          { timeoutMs: 30_000, what: `the CDR of call ${callid}` },
        );
        expectSeedShape(cdr, seed.cdrOut, 'CDR.Out');
        expect(cdr).toMatchObject({
          callid,
          callid_in: 0,
          number: '+33612350077',
          number_country_code: 'FR',
          dialstatus: 'ANSWER',
          hangupsource: 'CALLER',
          customer_field: 'sdkcast1',
          cli_pres: 'prohib_passed_screen',
          package_name: 'BROADCAST',
        });
        expect(cdr.answer).toMatch(DATETIME);
        expect(cdr.duration_answered).toBeGreaterThanOrEqual(1);
        expect(cdr.duration).toBeGreaterThanOrEqual(cdr.duration_answered as number);
        // The same CDR through the filter on the number.
        const byNumber = await client.call<{ callid: number }[]>(
          'cdr.get',
          'OUT',
          FROM,
          TO,
          null,
          '+33612350077',
        );
        expect(byNumber.map((entry) => entry.callid)).toEqual([callid]);
      },
    );
  });

  describe('media/library.* and media/tts.*', () => {
    it.skipIf(!tools.available)(
      'creates, reads, lists, speaks into and deletes a Media.Library',
      { timeout: 60_000 },
      async () => {
        const id = await client.call<number>('media/library.create', 'SDK greeting');
        expect(Number.isInteger(id)).toBe(true);
        const empty = await client.call<Record<string, unknown>>('media/library.get', id);
        expectSeedShape(empty, seed.mediaLibrary, 'Media.Library');
        expect(empty).toMatchObject({
          id,
          name: 'SDK greeting',
          status: 'PENDING_CONTENT',
          content: '',
          duration: 0,
          url: '',
          voice: '',
          is_editable: true,
          category: [],
          language: [],
          tags: {},
        });

        const listed = await client.call<Record<string, unknown>[]>('media/library.get_list', null);
        expect(listed.map((media) => media.id)).toContain(id);
        for (const media of listed) expectSeedShape(media, seed.mediaLibrary, 'Media.Library');

        const text = 'Bonjour, bienvenue chez Parley.';
        expect(await client.call('media/tts.set_content', id, text, 'TTS_FR-FR_AUDREY', { rate: 50 })).toBe(
          true,
        );
        const spoken = await client.call<Record<string, unknown>>('media/library.get', id);
        expectSeedShape(spoken, seed.mediaLibrary, 'Media.Library');
        expect(spoken).toMatchObject({
          id,
          hash: empty.hash,
          status: 'READY',
          content: text,
          voice: 'TTS_FR-FR_AUDREY',
          language: ['fr_FR'],
        });
        expect(spoken.duration).toBeGreaterThanOrEqual(1);
        expect(spoken.url).toMatch(/^https?:\/\/|^\//);
        // The hash names the same media. Its link is signed with an expiry counted from the second of
        // each read, so two reads may differ in the query; the media's path must not.
        const unsigned = (media: Record<string, unknown>) => ({
          ...media,
          url: String(media.url).split('?')[0],
        });
        const byHash = await client.call<Record<string, unknown>>('media/library.get', spoken.hash);
        expect(unsigned(byHash)).toEqual(unsigned(spoken));

        expect(await client.call('media/library.delete', id)).toBe(true);
        const gone = await client.call('media/library.get', id).catch((error: unknown) => error);
        expect(gone).toBeInstanceOf(CallrSdkError);
        expect(gone).toMatchObject({ code: -32004 });
        const after = await client.call<{ id: number }[]>('media/library.get_list', null);
        expect(after.map((media) => media.id)).not.toContain(id);
      },
    );

    it('refuses a bad TTS voice through the SDK error callback, naming the param', async () => {
      const id = await client.call<number>('media/library.create', 'Bad voice');
      const error = await client
        .call('media/tts.set_content', id, 'hi', 'TTS_XX-XX_NOBODY', null)
        .catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: -32602, message: expect.stringMatching(/voice/) });
    });
  });
});
