export {
  metricCatalog,
  findMetric,
  measures,
  filterDescriptions,
  type Measure,
  type MetricDefinition,
} from './metric-catalog.js';
export { recordCatalog, findRecord, relatedMetricIds, type RecordDefinition } from './record-catalog.js';
export { resolvePeriod, periodPresets, type PeriodPreset, type PeriodSpec, type Period } from './period.js';
export { queryMetric, type AggregateResult } from './query-metric.js';
export { queryRecords, type ReportingRecord, type RecordValue, type RecordCursor } from './query-records.js';
export { listFilterValues, type FilterValueItem } from './filter-values.js';
export { recordReportingEvents, type ReportingEventInput } from './record-reporting-events.js';
export type { FilterInput } from './metric-filters.js';
export {
  counterMetrics,
  firstResponseBins,
  BUCKET_MS,
  type CounterMetric,
  type CounterInput,
} from './reporting-counters.js';
export { reportingCounters, reportingEvents } from './analytics.tables.js';
