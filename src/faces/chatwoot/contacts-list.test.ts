import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { contactsClient, expectSeedContactShape, type ContactsClient } from './contacts.test-kit.js';

interface ContactJson {
  id: number;
  name: string;
  email: string | null;
  phone_number: string | null;
}
interface ListJson {
  meta: { count: number; current_page: string };
  payload: ContactJson[];
}

describe(`Chatwoot contact lists (${backendName})`, () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  describe('list, sort, search, filter', () => {
    let listClient: ContactsClient;
    beforeAll(async () => {
      const account = await seedAccount(app, 'Listing Co');
      listClient = contactsClient(app, account.apiKey, account.accountId);
      for (let index = 0; index < 17; index += 1) {
        const letter = String.fromCharCode(97 + index);
        const response = await listClient.post('/contacts', {
          name: `${letter.toUpperCase()}${letter} Person`,
          email: `${letter}@list.example`,
          phone_number: `+3361234${String(5600 + index)}`,
          additional_attributes: {
            city: index % 2 ? 'Paris' : 'Nantes',
            company_name: `Co ${letter}`,
            country_code: 'FR',
          },
        });
        expect(response.statusCode, response.body).toBe(200);
      }
      // A visitor without email, phone or identifier stays out of lists, as in Chatwoot.
      expect((await listClient.post('/contacts', { name: 'Anonymous visitor' })).statusCode).toBe(200);
    });

    const names = (body: ListJson) => body.payload.map((contact) => contact.name);

    it('pages 15 at a time with the total count and the current page as a string', async () => {
      const first = (await listClient.get('/contacts?sort=name')).json<ListJson>();
      const second = (await listClient.get('/contacts?sort=name&page=2')).json<ListJson>();

      expect(first.meta).toEqual({ count: 17, current_page: '1' });
      expect(first.payload).toHaveLength(15);
      expect(second.meta).toEqual({ count: 17, current_page: '2' });
      expect(names(second)).toEqual(['Pp Person', 'Qq Person']);
      expect(names(first)).not.toContain('Anonymous visitor');
      first.payload.forEach((contact) =>
        expectSeedContactShape(contact as unknown as Record<string, unknown>),
      );
    });

    it('sorts ascending and, with a leading -, descending', async () => {
      const byName = names((await listClient.get('/contacts?sort=-name')).json<ListJson>());
      const byEmail = (await listClient.get('/contacts?sort=email'))
        .json<ListJson>()
        .payload.map((c) => c.email);
      const byPhone = (await listClient.get('/contacts?sort=-phone_number')).json<ListJson>().payload;
      const byCompany = names((await listClient.get('/contacts?sort=-company')).json<ListJson>());

      expect(byName[0]).toBe('Qq Person');
      expect(byEmail.slice(0, 3)).toEqual(['a@list.example', 'b@list.example', 'c@list.example']);
      expect(byPhone[0]?.phone_number).toBe('+33612345616');
      expect(byCompany[0]).toBe('Qq Person');
      expect((await listClient.get('/contacts?sort=shoe_size')).statusCode).toBe(422);
    });

    it('searches by name, email and phone number', async () => {
      const byName = (await listClient.get('/contacts/search?q=cc%20pers')).json<ListJson>();
      const byEmail = (await listClient.get('/contacts/search?q=d@list')).json<ListJson>();
      const byPhone = (await listClient.get('/contacts/search?q=5605')).json<ListJson>();
      const nothing = (await listClient.get('/contacts/search?q=zzz')).json<ListJson>();

      expect(names(byName)).toEqual(['Cc Person']);
      expect(names(byEmail)).toEqual(['Dd Person']);
      expect(names(byPhone)).toEqual(['Ff Person']);
      expect(nothing).toEqual({ meta: { count: 0, current_page: '1' }, payload: [] });
    });

    it('pages and sorts a search as the list, past its last page too, for short terms as well', async () => {
      const search = async (query: string) => {
        const response = await listClient.get(`/contacts/search?${query}`);
        expect(response.statusCode, response.body).toBe(200);
        return response.json<ListJson>();
      };
      const list = async (query: string) => (await listClient.get(`/contacts?${query}`)).json<ListJson>();
      // Every listed contact matches "list.example" (their email), so the search is the list.
      for (const sort of [
        'name',
        '-name',
        'email',
        '-phone_number',
        '-last_activity_at',
        'company',
        '-city',
      ]) {
        for (const page of [1, 2]) {
          const query = `sort=${sort}&page=${page}`;
          expect(await search(`q=list.example&${query}`), query).toEqual(await list(query));
        }
      }
      const defaultOrder = await search('q=person');
      expect(defaultOrder).toEqual(await list(''));
      expect(defaultOrder.payload[0]).toMatchObject({ name: 'Qq Person' });

      // Past the last page: no contact, but still the count.
      expect(await search('q=person&page=3')).toEqual({
        meta: { count: 17, current_page: '3' },
        payload: [],
      });
      expect(await search('q=zzz&page=2')).toEqual({ meta: { count: 0, current_page: '2' }, payload: [] });
      // Under three characters no trigram serves the term; the answer is the same.
      expect(await search('q=pe&sort=-name&page=2')).toEqual(await list('sort=-name&page=2'));
      expect((await listClient.get('/contacts/search?q=person&sort=shoe_size')).statusCode).toBe(422);
      const short = await search('q=Qq&sort=name');
      expect(short.meta.count).toBe(1);
      expect(names(short)).toEqual(['Qq Person']);
    });

    it("does not find another account's contacts", async () => {
      const other = await seedAccount(app, 'Other Listing Co');
      const otherClient = contactsClient(app, other.apiKey, other.accountId);
      expect(
        (await otherClient.post('/contacts', { name: 'Zz Person', email: 'zz@list.example' })).statusCode,
      ).toBe(200);
      const ours = (await listClient.get('/contacts/search?q=person')).json<ListJson>();
      const theirs = (await otherClient.get('/contacts/search?q=person')).json<ListJson>();
      expect(ours.meta.count).toBe(17);
      expect(names(ours)).not.toContain('Zz Person');
      expect(theirs).toMatchObject({ meta: { count: 1 }, payload: [{ name: 'Zz Person' }] });
      expect((await otherClient.get('/contacts/search?q=pe&page=2')).json<ListJson>().meta.count).toBe(1);
    });

    async function filter(payload: unknown[], query = ''): Promise<string[]> {
      const response = await listClient.post(`/contacts/filter${query}`, { payload });
      expect(response.statusCode, response.body).toBe(200);
      return names(response.json<ListJson>()).sort();
    }

    async function filterCount(payload: unknown[]): Promise<number> {
      const response = await listClient.post('/contacts/filter', { payload });
      expect(response.statusCode, response.body).toBe(200);
      return response.json<ListJson>().meta.count;
    }

    it('filters with every operator on contact attributes', async () => {
      const labelled = (await listClient.get('/contacts/search?q=aa%20person')).json<ListJson>().payload[0]!;
      await listClient.post(`/contacts/${labelled.id}/labels`, { labels: ['vip'] });
      await listClient.put(`/contacts/${labelled.id}`, { blocked: true });

      expect(
        await filter([{ attribute_key: 'name', filter_operator: 'equal_to', values: ['Bb Person'] }]),
      ).toEqual(['Bb Person']);
      expect(
        await filterCount([
          { attribute_key: 'name', filter_operator: 'not_equal_to', values: ['Bb Person'] },
        ]),
      ).toBe(17);
      expect(
        await filter([{ attribute_key: 'email', filter_operator: 'contains', values: ['C@LIST'] }]),
      ).toEqual(['Cc Person']);
      expect(
        await filterCount([
          { attribute_key: 'email', filter_operator: 'does_not_contain', values: ['@list'] },
        ]),
      ).toBe(1);
      expect(
        await filterCount([
          { attribute_key: 'phone_number', filter_operator: 'starts_with', values: ['+3361234560'] },
        ]),
      ).toBe(10);
      expect(await filterCount([{ attribute_key: 'identifier', filter_operator: 'is_not_present' }])).toBe(
        18,
      );
      expect(await filter([{ attribute_key: 'identifier', filter_operator: 'is_present' }])).toEqual([]);
      expect(
        await filterCount([{ attribute_key: 'city', filter_operator: 'equal_to', values: ['Paris'] }]),
      ).toBe(8);
      expect(
        await filter([{ attribute_key: 'company', filter_operator: 'equal_to', values: ['Co q'] }]),
      ).toEqual(['Qq Person']);
      expect(
        await filter([{ attribute_key: 'labels', filter_operator: 'equal_to', values: ['vip'] }]),
      ).toEqual(['Aa Person']);
      expect(
        await filter([{ attribute_key: 'blocked', filter_operator: 'equal_to', values: [true] }]),
      ).toEqual(['Aa Person']);
      expect(
        await filterCount([
          { attribute_key: 'created_at', filter_operator: 'is_greater_than', values: ['2020-01-01'] },
        ]),
      ).toBe(18);
      expect(
        await filter([
          { attribute_key: 'created_at', filter_operator: 'is_less_than', values: ['2020-01-01'] },
        ]),
      ).toEqual([]);
      expect(
        await filter([{ attribute_key: 'created_at', filter_operator: 'days_before', values: [1] }]),
      ).toEqual([]);
      expect(
        await filterCount([{ attribute_key: 'last_activity_at', filter_operator: 'is_not_present' }]),
      ).toBe(18);
    });

    it('chains conditions with and/or and pages the result', async () => {
      const both = await filter([
        { attribute_key: 'city', filter_operator: 'equal_to', values: ['Paris'], query_operator: 'AND' },
        { attribute_key: 'email', filter_operator: 'contains', values: ['b@'] },
      ]);
      const either = await filter([
        { attribute_key: 'name', filter_operator: 'equal_to', values: ['Aa Person'], query_operator: 'OR' },
        { attribute_key: 'name', filter_operator: 'equal_to', values: ['Bb Person'] },
      ]);
      const page2 = await listClient.post('/contacts/filter?page=2', {
        payload: [{ attribute_key: 'country_code', filter_operator: 'equal_to', values: ['FR'] }],
      });

      expect(both).toEqual(['Bb Person']);
      expect(either).toEqual(['Aa Person', 'Bb Person']);
      expect(page2.json<ListJson>().meta).toEqual({ count: 17, current_page: '2' });
      expect(page2.json<ListJson>().payload).toHaveLength(2);
    });

    it('filters contact custom attributes typed by their definitions', async () => {
      const definition = await listClient.post('/custom_attribute_definitions', {
        attribute_display_name: 'Score',
        attribute_key: 'score',
        attribute_display_type: 1,
        attribute_model: 1,
      });
      expect(definition.statusCode).toBe(200);
      const people = (await listClient.get('/contacts?sort=name')).json<ListJson>().payload;
      const [first, second] = people;
      await listClient.put(`/contacts/${first?.id}`, { custom_attributes: { score: 9 } });
      await listClient.put(`/contacts/${second?.id}`, { custom_attributes: { score: 40 } });

      const above = await filter([
        { attribute_key: 'score', filter_operator: 'is_greater_than', values: ['10'] },
      ]);
      const below = await filter([
        {
          attribute_key: 'score',
          filter_operator: 'is_less_than',
          values: [10],
          attribute_model: 'customer_attributes',
        },
      ]);
      const present = await filterCount([{ attribute_key: 'score', filter_operator: 'is_present' }]);

      // 40 > 10 numerically, although "40" < "9" as text.
      expect(above).toEqual([second?.name]);
      expect(below).toEqual([first?.name]);
      expect(present).toBe(2);
    });

    it('answers 422 for an invalid filter', async () => {
      const cases = [
        [{ attribute_key: 'name', filter_operator: 'is_greater_than', values: ['a'] }],
        [{ attribute_key: 'shoe_size', filter_operator: 'equal_to', values: ['42'] }],
        [{ attribute_key: 'name', filter_operator: 'sounds_like', values: ['a'] }],
        [{ attribute_key: 'created_at', filter_operator: 'is_less_than', values: ['not a date'] }],
      ];
      for (const payload of cases) {
        const response = await listClient.post('/contacts/filter', { payload });
        expect(response.statusCode, JSON.stringify(payload)).toBe(422);
        expect(response.json().description).toMatch(/payload/);
      }
    });
  });
});
