import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCallrTestApp, type CallrTestAccount } from './callr-test-kit.js';
import { bookWith, DATETIME, HASH, jobDone, type AddressBook, type SearchResults } from './sendr.test-kit.js';

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

describe('sendr/10/addressbook', { timeout: 120_000 }, () => {
  it('creates, lists and deletes address books with the SENDR.AddressBook shape', async () => {
    const book = await alice.result<AddressBook>('sendr/10/addressbook.create', ['Customers', 'VIP list']);
    expect(book).toEqual({
      hash: expect.stringMatching(HASH),
      name: 'Customers',
      description: 'VIP list',
      contacts: 0,
      date_creation: expect.stringMatching(DATETIME),
      date_update: expect.stringMatching(DATETIME),
    });

    const page = await alice.result<SearchResults<AddressBook>>('sendr/10/addressbook.search', [
      null,
      { order: '-created_at', quantity: 1 },
    ]);
    expect(page).toMatchObject({ offset: 0, hits: [book] });
    expect(page.total).toBeGreaterThanOrEqual(1);
    expect(await bob.result('sendr/10/addressbook.search', [null, null])).toEqual({
      has_more: false,
      hits: [],
      offset: 0,
      total: 0,
    });

    expect(await bob.error('sendr/10/addressbook.delete', [book.hash])).toMatchObject({ code: -32004 });
    expect(await alice.result('sendr/10/addressbook.delete', [book.hash])).toBe(true);
    expect(await alice.error('sendr/10/addressbook.delete', [book.hash])).toMatchObject({ code: -32004 });
  });

  it('refuses bad params, naming them', async () => {
    const blank = await alice.error('sendr/10/addressbook.create', ['', null]);
    expect(blank.code).toBe(-32602);
    expect(blank.message).toContain("'name'");
    const order = await alice.error('sendr/10/addressbook.search', [null, { order: 'size' }]);
    expect(order.message).toContain("'options'");
    const book = await alice.result<AddressBook>('sendr/10/addressbook.create', ['Bad params', null]);
    const column = await alice.error('sendr/10/addressbook.append_file_async', [
      book.hash,
      'x.csv',
      -1,
      'FR',
    ]);
    expect(column.message).toContain("'phone_col'");
    const country = await alice.error('sendr/10/addressbook.append_file_async', [
      book.hash,
      'x.csv',
      0,
      'FRA',
    ]);
    expect(country.message).toContain("'country'");
    const file = await alice.error('sendr/10/addressbook.append_file_async', [
      book.hash,
      'nope.csv',
      0,
      'FR',
    ]);
    expect(file).toMatchObject({ code: -32602, message: expect.stringContaining('filename') });
  });

  it('imports a CSV as a job: numbers normalised, invalid rows reported, duplicates skipped', async () => {
    const csv = [
      'name,phone,city',
      'Ann,06 12 34 56 78,Paris',
      'Bob,+33612345679,Lyon',
      'Cat,not a number,Nice',
      'Dan,0612345678,Paris',
      '"Eve, Jr",+1 415 555 2671,"San Francisco"',
      '',
    ].join('\n');
    const { book, fileName, job } = await bookWith(alice, 'Imported', csv, 'phone');

    expect(job).toEqual({
      id: expect.stringMatching(/^[0-9A-F]{16}$/),
      status: 'DONE',
      percent: '100.00',
      done_at: expect.stringMatching(DATETIME),
      error: {},
      result: {
        rows: 5,
        imported: 3,
        duplicates: 1,
        invalid: 1,
        invalid_rows: [{ line: 4, phone: 'not a number' }],
      },
    });
    expect(await bob.error('jobs.get', [job.id])).toMatchObject({ code: -32004 });
    const listed = await alice.result<SearchResults<AddressBook>>('sendr/10/addressbook.search', [
      null,
      { order: '-created_at', quantity: 1 },
    ]);
    expect(listed.hits[0]).toMatchObject({ hash: book.hash, contacts: 3 });

    // The same file again: every number is already in the book. By index this time (0-based).
    const again = await alice.result<string>('sendr/10/addressbook.append_file_async', [
      book.hash,
      fileName,
      1,
      'FR',
      null,
    ]);
    expect((await jobDone(alice, again)).result).toMatchObject({ imported: 0, duplicates: 4, invalid: 1 });
    // Another account can neither append to the book nor read alice's file.
    const foreign = await bob.error('sendr/10/addressbook.append_file_async', [book.hash, fileName, 1, 'FR']);
    expect(foreign.code).toBe(-32004);
  });

  it('ends the job with an error when the phone column is not in the header', async () => {
    const { job } = await bookWith(alice, 'No column', 'name,tel\nAnn,0612345678\n', 'mobile');
    expect(job).toMatchObject({ status: 'DONE', error: { code: 'PHONE_COLUMN_NOT_FOUND' }, result: {} });
  });
});
