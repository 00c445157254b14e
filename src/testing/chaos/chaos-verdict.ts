import type { ChaosReport } from './run-chaos.js';

/**
 * The properties the reliability suite holds Parley to; each violation is a sentence naming the
 * figure. Shared by the CI test and `npm run bench:chaos`, so both judge a run the same way.
 */
export function chaosViolations(report: ChaosReport, limits: { maxAddedDelayMs: number }): string[] {
  const violations: string[] = [];
  const { killDuringWrites: writes, killDuringDelivery: delivery } = report;
  if (writes.lost > 0) violations.push(`${writes.lost} acknowledged writes lost after kill -9`);
  if (writes.duplicated > 0) violations.push(`${writes.duplicated} writes stored twice after retries`);
  if (writes.lostEvents > 0)
    violations.push(`${writes.lostEvents} message events never delivered after kill -9`);
  if (delivery.lostEvents > 0) {
    violations.push(`${delivery.lostEvents} in-flight events never delivered after kill -9`);
  }
  // The dead process's 60 s leases must not decide when its deliveries resume.
  if (delivery.inFlightRecoveredWithinMs > 15_000) {
    violations.push(`in-flight deliveries took ${delivery.inFlightRecoveredWithinMs} ms after the restart`);
  }
  if (report.isolation.addedDelayMs > limits.maxAddedDelayMs) {
    violations.push(
      `a hanging endpoint added ${report.isolation.addedDelayMs} ms to another account's webhook`,
    );
  }
  const retry = report.retryAfterZero;
  // The first retry is due 5 s after the first attempt; Retry-After: 0 must not bring it forward.
  const allowedAttempts = 1 + Math.ceil(retry.windowMs / 5_000);
  if (retry.attempts > allowedAttempts) {
    violations.push(`Retry-After: 0 led to ${retry.attempts} attempts in ${retry.windowMs} ms`);
  }
  if (retry.state !== 'pending') violations.push(`Retry-After: 0 left the delivery ${retry.state}`);
  if (report.flakyReceiver.failed > 0) {
    violations.push(`${report.flakyReceiver.failed} deliveries to a 30 %-failing receiver were given up`);
  }
  if (report.flakyReceiver.delivered + report.flakyReceiver.pending < report.flakyReceiver.events) {
    violations.push('some events to the failing receiver were neither delivered nor pending');
  }
  return violations;
}
