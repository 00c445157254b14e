import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { notFound } from '../../platform/errors.js';
import { getJob, jobStates, listJobs, retryJob, type JobRow } from '../../platform/jobs/index.js';
import { accountAccess, requirePlatform } from '../shared/access.js';
import { accountParams, commonErrors, idParam, iso, isoDate, pageOf, pageQuery } from './schemas.js';

const jobSchema = z.object({
  id: z.number(),
  accountId: z.number().nullable(),
  name: z.string(),
  queue: z.string(),
  state: z.enum(jobStates),
  attempts: z.number(),
  maxAttempts: z.number(),
  runAt: isoDate,
  lastError: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
  startedAt: isoDate.nullable(),
  finishedAt: isoDate.nullable(),
  createdAt: isoDate,
});

function toDto(job: JobRow): z.infer<typeof jobSchema> {
  return {
    id: job.id,
    accountId: job.accountId,
    name: job.name,
    queue: job.queue,
    state: job.state,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    runAt: iso(job.runAt),
    lastError: job.lastError,
    payload: job.payload,
    startedAt: iso(job.startedAt),
    finishedAt: iso(job.finishedAt),
    createdAt: iso(job.createdAt),
  };
}

const jobQuery = pageQuery.extend({
  state: z.enum(jobStates).optional(),
  name: z.string().max(100).optional(),
});
const jobParams = accountParams.extend({ jobId: idParam });

/** `accountId` undefined lists every account's jobs (operators only). */
async function listJobPage(ctx: AppContext, accountId: number | undefined, query: z.infer<typeof jobQuery>) {
  const { cursor, limit, state, name } = query;
  const page = await listJobs(ctx.db, {
    ...(accountId !== undefined && { accountId }),
    limit,
    afterId: cursor,
    ...(state && { state }),
    ...(name && { name }),
  });
  return { data: page.jobs.map(toDto), nextCursor: page.nextCursor };
}

export function registerJobRoutes(app: TypedApp, ctx: AppContext): void {
  const tags = ['jobs'];

  app.get(
    '/v1/jobs',
    {
      schema: {
        tags,
        summary: 'Every job, newest first (platform token)',
        querystring: jobQuery,
        response: { 200: pageOf(jobSchema), ...commonErrors },
      },
    },
    async (request) => {
      requirePlatform(request);
      return listJobPage(ctx, undefined, request.query);
    },
  );

  app.get(
    '/v1/accounts/:accountId/jobs',
    {
      schema: {
        tags,
        summary: "The account's jobs, newest first (administrators)",
        params: accountParams,
        querystring: jobQuery,
        response: { 200: pageOf(jobSchema), ...commonErrors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId, { isAdminOnly: true });
      return listJobPage(ctx, access.accountId, request.query);
    },
  );

  app.get(
    '/v1/accounts/:accountId/jobs/:jobId',
    {
      schema: {
        tags,
        summary: 'One job and its state (administrators)',
        params: jobParams,
        response: { 200: jobSchema, ...commonErrors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId, { isAdminOnly: true });
      const job = await getJob(ctx.db, request.params.jobId, { accountId: access.accountId });
      if (!job) throw notFound('Job');
      return toDto(job);
    },
  );

  app.post(
    '/v1/accounts/:accountId/jobs/:jobId/retry',
    {
      schema: {
        tags,
        summary: 'Queue a dead job again (administrators)',
        params: jobParams,
        response: { 200: jobSchema, ...commonErrors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId, { isAdminOnly: true });
      return toDto(await retryJob(ctx.db, request.params.jobId, access.accountId));
    },
  );
}
