import { z } from 'zod';
import { periodPresets, type PeriodSpec } from '../../core/analytics/index.js';

/**
 * Dixa analytics shapes. The seed's schemas have no discriminators, but Dixa's wire format tags
 * its unions with `_type` (the seed's own request examples send `{"_type": "Preset", "value":
 * {"_type": "PreviousWeek"}}`, and Dixa answers aggregates as `{"measure": "Count", "value": 42,
 * "_type": "LongAggregateValue"}`), so responses carry `_type` too and requests accept both forms.
 */
const pagination = z.object({ next: z.string().optional(), previous: z.string().optional() });

export const filterMetadataSchema = z.object({
  filterAttribute: z.string(),
  description: z.string().optional(),
});
export const aggregateMetadataSchema = z.object({ measure: z.string(), description: z.string().optional() });
export const metricMetadataSchema = z.object({
  id: z.string(),
  description: z.string().optional(),
  filters: z.array(filterMetadataSchema).optional(),
  aggregations: z.array(aggregateMetadataSchema).optional(),
  relatedRecordIds: z.array(z.string()).optional(),
});
export const fieldMetadataSchema = z.object({
  field: z.string(),
  description: z.string(),
  nullable: z.boolean(),
});
export const metricRecordMetadataSchema = z.object({
  id: z.string(),
  description: z.string(),
  filters: z.array(filterMetadataSchema).optional(),
  fieldsMetadata: z.array(fieldMetadataSchema).optional(),
  relatedMetricIds: z.array(z.string()).optional(),
});

export const getMetricsOutput = z.object({
  data: z.array(metricMetadataSchema),
  meta: pagination.optional(),
});
export const getMetricOutput = z.object({ data: metricMetadataSchema });
export const getMetricRecordsOutput = z.object({
  data: z.array(metricRecordMetadataSchema),
  meta: pagination.optional(),
});
export const getMetricRecordOutput = z.object({ data: metricRecordMetadataSchema });

const aggregateValueSchema = z.object({
  measure: z.string(),
  value: z.number(),
  _type: z.enum(['LongAggregateValue', 'DoubleAggregateValue']),
});
export const getMetricDataOutput = z.object({
  data: z.object({ id: z.string(), aggregates: z.array(aggregateValueSchema) }),
});

const primitiveFieldSchema = z.object({
  value: z.union([z.string(), z.number(), z.boolean()]),
  label: z.string().optional(),
  _type: z.string(),
});
const fieldTypeSchema = z.union([
  primitiveFieldSchema,
  z.object({ values: z.array(primitiveFieldSchema), _type: z.literal('ListField') }),
]);
export type DixaFieldType = z.infer<typeof fieldTypeSchema>;
const metricRecordSchema = z.object({
  primaryTimestampField: z.object({ name: z.string(), timestamp: z.string() }),
  value: fieldTypeSchema.optional(),
  fields: z.array(z.object({ name: z.string(), field: fieldTypeSchema.optional() })),
});
export const getMetricRecordsDataOutput = z.object({
  data: z.array(metricRecordSchema),
  meta: pagination.optional(),
});

export const getFilterValuesOutput = z.object({
  data: z.array(z.object({ value: z.string(), label: z.string().optional() })),
  meta: pagination.optional(),
});

const presetName = z.enum(periodPresets, { message: `must be one of ${periodPresets.join(', ')}` });
const interval = z.object({ start: z.string().min(1), end: z.string().min(1) });

/** PeriodFilter: Preset `{value: "Today"}` or `{value: {_type: "Today"}}`; Interval `{start, end}` or `{value: {start, end}}`. */
export const periodFilterSchema = z
  .object({
    _type: z.enum(['Preset', 'Interval']).optional(),
    value: z.union([presetName, z.object({ _type: presetName }), interval]).optional(),
    start: z.string().min(1).optional(),
    end: z.string().min(1).optional(),
  })
  .transform((filter, context): PeriodSpec => {
    const { value } = filter;
    if (typeof value === 'string') return { preset: value };
    if (value && '_type' in value) return { preset: value._type };
    const bounds =
      value ?? (filter.start && filter.end ? { start: filter.start, end: filter.end } : undefined);
    if (bounds && filter._type !== 'Preset') return bounds;
    context.addIssue({ code: 'custom', message: 'must be a Preset {value} or an Interval {start, end}' });
    return z.NEVER;
  });

const filterSchema = z.object({
  attribute: z.string().min(1).max(100),
  values: z.array(z.string().max(500)).max(500).optional(),
});
const timezone = z.string().min(1).max(100);

export const getMetricDataInput = z.object({
  id: z.string().min(1).max(200),
  periodFilter: periodFilterSchema,
  timezone,
  filters: z.array(filterSchema).max(20).optional(),
  aggregations: z.array(z.string().max(50)).max(10).optional(),
});
export const getMetricRecordsDataInput = getMetricDataInput.omit({ aggregations: true });
