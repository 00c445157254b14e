import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { DomainError } from '../../platform/errors.js';
import {
  findMetric,
  findRecord,
  listFilterValues,
  metricCatalog,
  queryMetric,
  queryRecords,
  recordCatalog,
  resolvePeriod,
} from '../../core/analytics/index.js';
import { dixaAccess } from './access.js';
import { DEFAULT_PAGE_LIMIT, decodePageKey, pageMeta, pageQuerySchema } from './pagination.js';
import { dataOf } from './schemas.js';
import {
  getFilterValuesOutput,
  getMetricDataInput,
  getMetricDataOutput,
  getMetricOutput,
  getMetricRecordOutput,
  getMetricRecordsDataInput,
  getMetricRecordsDataOutput,
  getMetricRecordsOutput,
  getMetricsOutput,
} from './analytics.schemas.js';
import { toAggregateValue, toMetricMetadata, toMetricRecord, toRecordMetadata } from './analytics.map.js';

const errorBody = z.object({ message: z.string() });
const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody };
const tags = ['dixa'];
const recordCursor = z.object({ at: z.iso.datetime(), id: z.number().int() });

/** A page of a small, fixed catalog, keyed by the last id shown. */
function catalogPage<T extends { id: string }>(
  items: readonly T[],
  pageKey: string | undefined,
  limit: number,
) {
  const after = decodePageKey(pageKey, z.string())?.cursor;
  const rest = after === undefined ? items : items.filter((item) => item.id > after);
  const page = rest.slice(0, limit);
  return { page, next: rest.length > limit ? page.at(-1)?.id : undefined };
}

/** Analytics: metric and record catalogs, metric data from the aggregates, records and filter values. */
export function registerDixaAnalyticsRoutes(app: TypedApp, ctx: AppContext): void {
  app.get(
    '/v1/analytics/metrics',
    {
      schema: {
        tags,
        summary: 'List the metric ids',
        querystring: pageQuerySchema,
        response: { 200: getMetricsOutput, ...errors },
      },
    },
    async (request) => {
      await dixaAccess(ctx, request);
      const { page, next } = catalogPage(
        metricCatalog,
        request.query.pageKey,
        request.query.pageLimit ?? DEFAULT_PAGE_LIMIT,
      );
      return { data: page.map(toMetricMetadata), meta: pageMeta(request, { next }) };
    },
  );

  app.get(
    '/v1/analytics/metrics/:metricId',
    {
      schema: {
        tags,
        summary: 'The properties of a metric',
        params: z.object({ metricId: z.string().max(200) }),
        response: { 200: getMetricOutput, ...errors },
      },
    },
    async (request) => {
      await dixaAccess(ctx, request);
      const metric = findMetric(request.params.metricId);
      if (!metric) throw new DomainError('NOT_FOUND', `Metric ${request.params.metricId} not found`);
      return dataOf(toMetricMetadata(metric));
    },
  );

  app.post(
    '/v1/analytics/metrics',
    {
      schema: {
        tags,
        summary: 'Metric data (aggregated)',
        body: getMetricDataInput,
        response: { 200: getMetricDataOutput, ...errors },
      },
    },
    async (request) => {
      const access = await dixaAccess(ctx, request);
      const { body } = request;
      const aggregates = await queryMetric(ctx.db, {
        accountId: access.accountId,
        metricId: body.id,
        period: resolvePeriod(body.periodFilter, body.timezone),
        filters: body.filters ?? [],
        aggregations: body.aggregations,
      });
      return dataOf({ id: body.id, aggregates: aggregates.map(toAggregateValue) });
    },
  );

  app.get(
    '/v1/analytics/records',
    {
      schema: {
        tags,
        summary: 'List the record ids',
        querystring: pageQuerySchema,
        response: { 200: getMetricRecordsOutput, ...errors },
      },
    },
    async (request) => {
      await dixaAccess(ctx, request);
      const { page, next } = catalogPage(
        recordCatalog,
        request.query.pageKey,
        request.query.pageLimit ?? DEFAULT_PAGE_LIMIT,
      );
      return { data: page.map(toRecordMetadata), meta: pageMeta(request, { next }) };
    },
  );

  app.get(
    '/v1/analytics/records/:recordId',
    {
      schema: {
        tags,
        summary: 'The properties of a record',
        params: z.object({ recordId: z.string().max(200) }),
        response: { 200: getMetricRecordOutput, ...errors },
      },
    },
    async (request) => {
      await dixaAccess(ctx, request);
      const record = findRecord(request.params.recordId);
      if (!record) throw new DomainError('NOT_FOUND', `Record ${request.params.recordId} not found`);
      return dataOf(toRecordMetadata(record));
    },
  );

  app.post(
    '/v1/analytics/records',
    {
      schema: {
        tags,
        summary: 'Record data (unaggregated)',
        querystring: pageQuerySchema,
        body: getMetricRecordsDataInput,
        response: { 200: getMetricRecordsDataOutput, ...errors },
      },
    },
    async (request) => {
      const access = await dixaAccess(ctx, request);
      const { body } = request;
      const page = await queryRecords(ctx.db, {
        accountId: access.accountId,
        recordId: body.id,
        period: resolvePeriod(body.periodFilter, body.timezone),
        filters: body.filters ?? [],
        limit: request.query.pageLimit ?? DEFAULT_PAGE_LIMIT,
        after: decodePageKey(request.query.pageKey, recordCursor)?.cursor,
      });
      return { data: page.items.map(toMetricRecord), meta: pageMeta(request, { next: page.nextCursor }) };
    },
  );

  app.get(
    '/v1/analytics/filter/:filterAttribute',
    {
      schema: {
        tags,
        summary: 'Possible values of a filter attribute',
        params: z.object({ filterAttribute: z.string().max(100) }),
        querystring: pageQuerySchema,
        response: { 200: getFilterValuesOutput, ...errors },
      },
    },
    async (request) => {
      const access = await dixaAccess(ctx, request);
      const page = await listFilterValues(ctx.db, {
        accountId: access.accountId,
        attribute: request.params.filterAttribute,
        limit: request.query.pageLimit ?? DEFAULT_PAGE_LIMIT,
        after: decodePageKey(request.query.pageKey, z.string())?.cursor,
      });
      return { data: page.items, meta: pageMeta(request, { next: page.nextCursor }) };
    },
  );
}
