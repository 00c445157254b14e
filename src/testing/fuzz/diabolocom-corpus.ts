import type { TestApp } from '../app.js';
import { recordDialedCall } from '../../core/dialer/dialed-call-record.js';
import { addAgent, seedAnsweredAttempt } from '../../core/dialer/dialed-call.test-kit.js';
import { bearer, seedTenants, setUp } from './seed-helpers.js';
import type { CorpusEntry, FaceCorpus, FuzzRequest, HttpMethod } from './types.js';

const v1 = '/api/v1/voice/campaigns';
const v2 = '/api/v2/voice/campaigns';

/**
 * Valid requests for the 21 endpoints of the Diabolocom seed, on campaigns created through the
 * native API (the seed has no campaign creation), contacts and a batch made through the face, and
 * one recorded call (the seed's interaction).
 */
export async function buildDiabolocomCorpus(app: TestApp): Promise<FaceCorpus> {
  const t = await seedTenants(app);
  const headers = bearer(t.home.apiKey);
  const call = <T>(method: HttpMethod, url: string, payload?: unknown) =>
    setUp<T>(app, {
      method,
      url,
      headers,
      ...(payload !== undefined && { payload: payload as Record<string, unknown> }),
    });
  const campaign = (name: string) =>
    call<{ id: number }>('POST', `/api/v1/accounts/${t.home.accountId}/campaigns`, {
      name,
      mode: 'progressive',
      customFields: ['name'],
      phoneFields: ['phone'],
    }).then((created) => created.id);
  const campaignId = await campaign('Fuzz outbound');
  const spareCampaignId = await campaign('Fuzz spare');
  // Only an archived campaign may be deleted.
  await call('PATCH', `/diabolocom${v1}/${spareCampaignId}`, { isArchived: true });
  const contact = (name: string, phone: string) =>
    call<{ contactId: number }>('POST', `/diabolocom${v2}/${campaignId}/contacts`, {
      customFields: { name, phone },
    }).then((created) => created.contactId);
  const contactId = await contact('Ada', '+33612300001');
  const spareContactId = await contact('Spare', '+33612300002');
  const batch = await call<{ token: string }>('POST', `/diabolocom${v2}/${campaignId}/contact-batch/create`, {
    customFields: [{ name: 'Bob', phone: '+33612300003' }],
  });
  const wrapups = await call<{ wrapups: { id: number }[] }>('GET', '/diabolocom/api/v1/account/wrapups');
  const { db, storage } = app.parley.ctx;
  const agentId = await addAgent(app, t.home.accountId, 'dialer-agent@fuzz.test');
  const attempt = await seedAnsweredAttempt(db, t.home.accountId, { agentId });
  const recorded = await recordDialedCall(
    { db, storage },
    {
      ...attempt,
      accountId: t.home.accountId,
      agentId,
      startedAt: new Date(),
      durationSeconds: 15,
      isRecorded: true,
    },
  );

  const entry = (
    method: HttpMethod,
    route: string,
    url: string,
    body?: unknown,
    isDestructive = false,
  ): CorpusEntry => {
    const request: FuzzRequest = {
      method,
      url: `/diabolocom${url}`,
      headers,
      ...(body !== undefined && { body }),
    };
    return { route: `/diabolocom${route}`, request, isDestructive };
  };
  const c = `${v2}/${campaignId}`;
  const conditions = [{ customFieldName: 'name', condition: 'startsWith', value: 'A' }];
  const entries: CorpusEntry[] = [
    entry('GET', `${v2}/:campaignId/contacts/:contactId`, `${c}/contacts/${contactId}`),
    entry('POST', `${v2}/:campaignId/contacts`, `${c}/contacts?priorityMode=false`, {
      customFields: { name: 'Grace', phone: '+33612300004' },
      priority: 5,
    }),
    entry('PUT', `${v2}/:campaignId/contacts/:contactId`, `${c}/contacts/${contactId}`, {
      priority: 20,
      customFields: { name: 'Ada L.' },
    }),
    entry(
      'DELETE',
      `${v2}/:campaignId/contacts/:contactId`,
      `${c}/contacts/${spareContactId}`,
      undefined,
      true,
    ),
    entry('POST', `${v2}/:campaignId/contacts/search`, `${c}/contacts/search`, {
      customFieldConditions: conditions,
      pageable: { page: 0, pageSize: 10 },
    }),
    entry('POST', `${v2}/contacts/search/by-phone`, `${v2}/contacts/search/by-phone`, {
      phones: ['+33612300001'],
    }),
    entry(
      'GET',
      `${v2}/:campaignId/contacts/search/by-date`,
      `${c}/contacts/search/by-date?fromDate=2000-01-01T00:00:00Z`,
    ),
    entry('POST', `${v2}/:campaignId/contact-batch/create`, `${c}/contact-batch/create`, {
      customFields: [{ name: 'Carol', phone: '+33612300005' }],
    }),
    entry('POST', `${v2}/:campaignId/contact-batch/update`, `${c}/contact-batch/update`, {
      query: { customFieldConditions: conditions },
      data: { priority: 42 },
    }),
    entry('POST', `${v2}/:campaignId/contact-batch/delete`, `${c}/contact-batch/delete`, {
      customFieldConditions: [{ customFieldName: 'name', condition: 'eq', value: 'nobody' }],
    }),
    entry('GET', `${v2}/contact-batch/status/:batchId`, `${v2}/contact-batch/status/${batch.token}`),
    entry('GET', `${v1}/:campaignId`, `${v1}/${campaignId}`),
    entry('PATCH', `${v1}/:campaignId`, `${v1}/${campaignId}`, { name: 'Fuzz outbound (renamed)' }),
    entry('GET', v1, `${v1}?name=Fuzz&pageSize=2`),
    entry('POST', `${v1}/:campaignId/field`, `${v1}/${campaignId}/field`, {
      newCustomFields: [{ name: 'city', isPhoneNumber: false }],
    }),
    entry('DELETE', `${v1}/:campaignId`, `${v1}/${spareCampaignId}`, undefined, true),
    entry(
      'GET',
      '/api/v1/account/wrapups/:wrapupId',
      `/api/v1/account/wrapups/${wrapups.wrapups[0]?.id ?? 1}`,
    ),
    entry('GET', '/api/v1/account/wrapups', '/api/v1/account/wrapups?isSystem=true&page=1'),
    entry('GET', '/api/v1/account/wrapups/folders', '/api/v1/account/wrapups/folders'),
    entry(
      'GET',
      '/api/v1/statistic-cold/billing/licenses',
      '/api/v1/statistic-cold/billing/licenses?month=2026-01',
    ),
    entry(
      'GET',
      '/api/v1/recordings/interactions/:interactionId/content',
      `/api/v1/recordings/interactions/${recorded.callId}/content`,
    ),
  ];
  return {
    face: 'diabolocom',
    entries,
    credentials: {
      header: 'authorization',
      scheme: 'Bearer ',
      tokens: [t.home.apiKey],
      foreignTokens: [t.other.apiKey],
    },
    params: {
      campaignId: String(campaignId),
      contactId: String(contactId),
      batchId: batch.token,
      wrapupId: String(wrapups.wrapups[0]?.id ?? 1),
      interactionId: String(recorded.callId),
    },
  };
}
