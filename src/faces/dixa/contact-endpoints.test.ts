import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { chatwootSeeder } from './conversation-seeding.test-kit.js';
import { createDixaTestApp, type DixaTestOrg, type Inject } from './dixa-test-kit.js';

describe(`Dixa contact endpoints (${backendName})`, () => {
  let app: TestApp;
  let inject: Inject;
  let acme: DixaTestOrg;
  let globex: DixaTestOrg;

  beforeAll(async () => {
    const created = await createDixaTestApp();
    app = created.app;
    inject = created.inject;
    acme = await created.organization('Acme');
    globex = await created.organization('Globex');
    const seed = chatwootSeeder(app, inject, acme);
    await seed.inbox({ type: 'email', email: 'support@acme.test' }, 'Acme support');
    await seed.inbox({ type: 'sms', phone_number: '+4511223344' }, 'Acme SMS');
    await seed.inbox({ type: 'voice', phone_number: '+4511223344' }, 'Acme phone');
    await seed.inbox({ type: 'whatsapp', phone_number: '+4599887766' }, 'Acme WhatsApp');
    // Neither has an address customers reach the account on.
    await seed.inbox({ type: 'api' }, 'Acme API');
    await seed.inbox({ type: 'web_widget', website_url: 'https://acme.test' }, 'Acme widget');
    await chatwootSeeder(app, inject, globex).inbox({ type: 'email', email: 'help@globex.test' }, 'Globex');
  });
  afterAll(() => app.close());

  it("lists the organization's inbox addresses as EmailEndpoint and TelephonyEndpoint", async () => {
    const response = await acme.call('GET', '/v1/contact-endpoints');

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      data: [
        { address: 'support@acme.test', name: 'Acme support' },
        { number: '+4511223344', name: 'Acme SMS', functionality: ['Sms', 'VoiceInbound', 'VoiceOutbound'] },
        { number: '+4599887766', name: 'Acme WhatsApp', functionality: [] },
      ],
    });
  });

  it('filters by _type', async () => {
    const emails = await acme.call('GET', '/v1/contact-endpoints?_type=EmailEndpoint');
    const phones = await acme.call('GET', '/v1/contact-endpoints?_type=TelephonyEndpoint');

    expect(emails.json<{ data: unknown[] }>().data).toEqual([
      { address: 'support@acme.test', name: 'Acme support' },
    ]);
    expect(phones.json<{ data: { number: string }[] }>().data.map((endpoint) => endpoint.number)).toEqual([
      '+4511223344',
      '+4599887766',
    ]);
    expect((await acme.call('GET', '/v1/contact-endpoints?_type=Fax')).statusCode).toBe(400);
  });

  it('gets one endpoint by its email address (any case) or phone number', async () => {
    const email = await acme.call('GET', '/v1/contact-endpoints/Support@Acme.test');
    const phone = await acme.call('GET', `/v1/contact-endpoints/${encodeURIComponent('+4599887766')}`);

    expect(email.statusCode).toBe(200);
    expect(email.json()).toEqual({ data: { address: 'support@acme.test', name: 'Acme support' } });
    expect(phone.json()).toEqual({
      data: { number: '+4599887766', name: 'Acme WhatsApp', functionality: [] },
    });
  });

  it("answers 404 for an unknown address and for another organization's address", async () => {
    const unknown = await acme.call('GET', '/v1/contact-endpoints/nobody@acme.test');
    const foreign = await acme.call('GET', '/v1/contact-endpoints/help@globex.test');
    const own = await globex.call('GET', '/v1/contact-endpoints/help@globex.test');

    expect(unknown.statusCode).toBe(404);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toEqual({ message: expect.any(String) });
    expect(own.statusCode).toBe(200);
    expect((await inject({ method: 'GET', url: '/dixa/v1/contact-endpoints' })).statusCode).toBe(401);
  });
});
