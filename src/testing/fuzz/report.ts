import type { FuzzFinding, FuzzReport } from './findings.js';

/** Distinct findings by signature, with how often each came up and its first reproduction. */
export function distinctFindings(report: FuzzReport): { finding: FuzzFinding; count: number }[] {
  const bySignature = new Map<string, { finding: FuzzFinding; count: number }>();
  for (const finding of report.findings) {
    const seen = bySignature.get(finding.signature);
    if (seen) seen.count += 1;
    else bySignature.set(finding.signature, { finding, count: 1 });
  }
  return [...bySignature.values()];
}

export function countOf(report: FuzzReport, kind: FuzzFinding['kind']): number {
  return report.findings.filter((finding) => finding.kind === kind).length;
}

/** One line per face: requests, status histogram, 5xx and format findings. */
export function formatSummary(reports: FuzzReport[]): string {
  const header = [
    'face',
    'seed',
    'sent',
    'valid 2xx',
    '2xx',
    '3xx',
    '4xx',
    '5xx',
    '5xx kinds',
    'bad format',
    'seconds',
  ];
  const rows = reports.map((report) => {
    const distinct5xx = distinctFindings(report).filter(({ finding }) => finding.kind === '5xx').length;
    return [
      report.face,
      String(report.seed),
      String(report.sent),
      `${report.validOk}/${report.validTotal}`,
      String(report.statuses['2xx'] ?? 0),
      String(report.statuses['3xx'] ?? 0),
      String(report.statuses['4xx'] ?? 0),
      String(report.statuses['5xx'] ?? 0),
      String(distinct5xx),
      String(countOf(report, 'error-format')),
      (report.durationMs / 1000).toFixed(1),
    ];
  });
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

/** The status histogram, most frequent first (`404:1234 422:800 ...`). */
export function formatStatuses(report: FuzzReport): string {
  return Object.entries(report.statuses)
    .filter(([status]) => /^\d+$/.test(status) || status === 'refused')
    .sort((a, b) => b[1] - a[1])
    .map(([status, count]) => `${status}:${count}`)
    .join(' ');
}

export function formatFindings(report: FuzzReport): string {
  return distinctFindings(report)
    .map(({ finding, count }) =>
      [
        `[${report.face}] ${finding.signature}  ×${count}`,
        `  replay: FUZZ_SEED=${finding.seed} request #${finding.index} (mutations: ${finding.mutations.join(', ') || 'none'})`,
        `  ${finding.method} ${finding.url}`,
        `  headers: ${JSON.stringify(finding.headers)}`,
        `  body: ${finding.body}`,
        `  answer ${finding.status}: ${finding.response}`,
      ].join('\n'),
    )
    .join('\n');
}
