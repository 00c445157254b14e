import type { TestApp } from '../app.js';
import { seedTenants, setUp, tinyWav } from './seed-helpers.js';
import type { CorpusEntry, FaceCorpus, FuzzRequest, HttpMethod } from './types.js';

/** Valid Modjo requests (and the signed blob URLs its uploads hand out), on a seeded account. */
export async function buildModjoCorpus(app: TestApp): Promise<FaceCorpus> {
  const t = await seedTenants(app);
  const headers = { 'x-api-key': t.home.apiKey };
  const created = await setUp<{ id: number }[]>(app, {
    method: 'POST',
    url: '/modjo/v1/users/bulk',
    headers,
    payload: { users: [{ email: 'spare-modjo@fuzz.test', firstName: 'Spare', lastName: 'User' }] },
  });
  const upload = await setUp<{ uploadTo: string }>(app, {
    method: 'POST',
    url: '/modjo/v1/calls',
    headers,
    payload: {
      contacts: ['customer@example.com', { crmId: 'c1', crm: 'hubspot', email: 'c@example.com' }],
      users: ['admin@fuzz.test'],
      date: '2026-05-04T10:00:00.000Z',
      fileExtension: 'wav',
      tags: null,
      name: 'Fuzz upload',
    },
  });
  const uploadUrl = new URL(upload.uploadTo);
  const uploadPath = `${uploadUrl.pathname}${uploadUrl.search}`;
  const blobKey = decodeURIComponent(uploadUrl.pathname.replace(/^\/blobs\//, ''));
  await app.parley.ctx.storage.put(blobKey, tinyWav(), { contentType: 'audio/wav' });
  const readUrl = new URL(
    app.parley.ctx.storage.signedUrl(blobKey, { expiresInSeconds: 3600, method: 'GET' }),
  );
  const readPath = `${readUrl.pathname}${readUrl.search}`;

  const entry = (
    method: HttpMethod,
    route: string,
    url: string,
    body?: unknown,
    isDestructive = false,
  ): CorpusEntry => {
    const request: FuzzRequest = { method, url, headers, ...(body !== undefined && { body }) };
    return { route, request, isDestructive };
  };
  const spareId = created[0]?.id ?? 1;
  const entries: CorpusEntry[] = [
    entry('POST', '/modjo/v1/calls', '/modjo/v1/calls', {
      recordingUrl: 'https://93.184.215.14/call.mp3',
      contacts: [{ crmId: 'c2', crm: 'salesforce', name: 'Buyer', phoneNumber: '+33612345678' }],
      users: ['admin@fuzz.test'],
      date: '2026-05-04T10:00:00+02:00',
      provider: 'manual',
      fileExtension: 'mp3',
      direction: 'outbound',
      duration: 300,
      tags: [{ name: 'renewal', providerTagId: 't1', color: 'ff0000' }],
      account: { crmId: 'a1', crm: 'hubspot' },
      deal: { crmId: 'd1', crm: 'hubspot' },
    }),
    entry('POST', '/modjo/v1/calls', '/modjo/v1/calls', {
      contacts: ['customer@example.com'],
      users: ['admin@fuzz.test'],
      date: '2026-05-04T10:00:00.000Z',
      fileExtension: 'wav',
      tags: null,
    }),
    entry('POST', '/modjo/v1/calls/exports', '/modjo/v1/calls/exports', {
      pagination: { page: 1, perPage: 10 },
      filters: {
        callStartDateRange: { start: '2026-01-01', end: '2026-12-31T23:59:59.000Z' },
        minimumCallDuration: 0,
        callTitle: 'Fuzz',
        deletedRecording: false,
      },
      relations: {
        recording: true,
        contacts: true,
        users: true,
        tags: true,
        transcript: true,
        speakers: true,
        summary: true,
        topics: true,
        highlights: true,
        aiSummary: true,
        account: true,
        deal: true,
      },
    }),
    entry('POST', '/modjo/v1/calls/exports', '/modjo/v1/calls/exports', { filters: { callIds: [1, 2, 3] } }),
    entry('GET', '/modjo/v1/users', '/modjo/v1/users?page=1&perPage=20'),
    entry('POST', '/modjo/v1/users/bulk', '/modjo/v1/users/bulk', {
      users: [
        {
          email: 'bulk@fuzz.test',
          firstName: 'Bulk',
          lastName: 'User',
          role: 'manager',
          teamIds: [],
          language: 'fr-FR',
          hasLicense: true,
        },
      ],
    }),
    entry('DELETE', '/modjo/v1/users', '/modjo/v1/users', { userIds: [spareId] }, true),
    entry('GET', '/modjo/v1/teams', '/modjo/v1/teams?page=1&perPage=10'),
    {
      route: '/blobs/*',
      request: { method: 'GET', url: readPath, headers: { range: 'bytes=0-3' } },
    },
    {
      route: '/blobs/*',
      request: {
        method: 'PUT',
        url: uploadPath,
        headers: { 'content-type': 'audio/wav' },
        rawBody: tinyWav(),
      },
      isDestructive: true,
    },
  ];
  return {
    face: 'modjo',
    entries,
    credentials: {
      header: 'x-api-key',
      scheme: '',
      tokens: [t.home.apiKey, t.admin.token],
      foreignTokens: [t.other.apiKey, t.outsider.token, t.agent.token, t.platformToken],
    },
    params: {},
  };
}
