export { reportTypes, resolveScope, type ReportScope, type ReportType } from './report-scope.js';
export { groupByValues, reportRangeOf, type GroupBy, type ReportRange } from './report-range.js';
export {
  reportMetrics,
  reportTimeseries,
  reportSummary,
  type ReportMetric,
  type ReportPoint,
  type ReportTotals,
} from './report-timeseries.js';
export { summaryReportBy, type EntitySummary, type SummaryDimension } from './summary-reports.js';
export { channelSummary, firstResponseDistribution, type ChannelStatusCounts } from './channel-reports.js';
export { inboxLabelMatrix, type InboxLabelMatrix } from './inbox-label-matrix.js';
export { outgoingMessagesCount, outgoingGroups, type OutgoingGroup } from './outgoing-messages.js';
export { accountConversationMetrics, agentConversationMetrics } from './conversation-metrics.js';
export {
  listReportingEvents,
  listConversationReportingEvents,
  reportingEventNames,
  type ListedReportingEvent,
  type ReportingEventName,
} from './reporting-event-list.js';
export {
  breakdownReport,
  breakdownDimensions,
  type BreakdownDimension,
  type BreakdownRow,
} from './breakdown-report.js';
