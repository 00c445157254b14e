import {
  filterDescriptions,
  relatedMetricIds,
  type AggregateResult,
  type MetricDefinition,
  type RecordDefinition,
  type RecordValue,
  type ReportingRecord,
} from '../../core/analytics/index.js';
import type { DixaFieldType } from './analytics.schemas.js';

const measureDescriptions: Record<string, string> = {
  Count: 'Number of items',
  Sum: 'Sum of the values',
  Min: 'Smallest value',
  Max: 'Largest value',
  Average: 'Mean of the values',
  StdDev: 'Population standard deviation of the values',
  Percentage: 'Share of satisfied items, in percent',
};

const filtersOf = (attributes: readonly (keyof typeof filterDescriptions)[]) =>
  attributes.map((attribute) => ({ filterAttribute: attribute, description: filterDescriptions[attribute] }));

export function toMetricMetadata(metric: MetricDefinition) {
  return {
    id: metric.id,
    description: metric.description,
    filters: filtersOf(metric.filters),
    aggregations: metric.aggregations.map((measure) => ({
      measure,
      description: measureDescriptions[measure],
    })),
    relatedRecordIds: [metric.recordId],
  };
}

export function toRecordMetadata(record: RecordDefinition) {
  return {
    id: record.id,
    description: record.description,
    filters: filtersOf(record.filters),
    fieldsMetadata: record.fields.map((field) => ({ ...field })),
    relatedMetricIds: relatedMetricIds(record.id),
  };
}

export function toAggregateValue(result: AggregateResult) {
  return {
    measure: result.measure,
    value: result.value,
    _type: result.kind === 'long' ? ('LongAggregateValue' as const) : ('DoubleAggregateValue' as const),
  };
}

const fieldTypeNames = {
  uuid: 'UUIDField',
  string: 'StringField',
  double: 'DoubleField',
  int: 'IntField',
  long: 'LongField',
  boolean: 'BooleanField',
} as const;

function toFieldType(value: RecordValue): DixaFieldType {
  if (value.kind === 'list') {
    return {
      values: value.values.map((item) => toFieldType(item) as Exclude<DixaFieldType, { values: unknown }>),
      _type: 'ListField',
    };
  }
  return {
    value: value.value,
    ...('label' in value && value.label !== undefined && { label: value.label }),
    _type: fieldTypeNames[value.kind],
  };
}

export function toMetricRecord(record: ReportingRecord) {
  return {
    primaryTimestampField: { name: record.timestampName, timestamp: record.timestamp.toISOString() },
    ...(record.value && { value: toFieldType(record.value) }),
    fields: record.fields.map((field) => ({
      name: field.name,
      ...(field.value && { field: toFieldType(field.value) }),
    })),
  };
}
