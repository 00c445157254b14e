import { useEffect, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { useAccount } from '../shell/account-context';
import { dimensions, reportPath, useReport, type Dimension, type GroupBy } from './api';
import { defaultPeriod, duration, reportQueryOf } from './period';
import { ReportChart } from './ReportChart';
import './reports.css';

const groupings: { value: GroupBy; label: string }[] = [
  { value: 'day', label: 'Day' },
  { value: 'week', label: 'Week' },
  { value: 'month', label: 'Month' },
];

function oneOf<T extends string>(value: string | null, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

/**
 * Reports (administrators): conversations, resolutions, first response and resolution times over
 * a chosen period, as a chart and a table by agent, inbox, team or label, with a CSV export. The
 * period and the breakdown live in the URL, so a report can be shared or reloaded.
 */
export default function ReportsPage() {
  const { accountId } = useAccount();
  const [params, setParams] = useSearchParams();
  const defaults = useMemo(() => defaultPeriod(), []);
  const from = params.get('from') ?? defaults.from;
  const to = params.get('to') ?? defaults.to;
  const groupBy = oneOf(params.get('groupBy'), ['day', 'week', 'month'], 'day');
  const by = oneOf<Dimension>(
    params.get('by'),
    dimensions.map((dimension) => dimension.value),
    'agent',
  );
  const query = reportQueryOf(from, to, groupBy, by);
  const report = useReport(accountId, query ?? { since: '', until: '', groupBy, by, timezoneOffset: 0 });
  const data = query ? report.data : undefined;

  useEffect(() => {
    document.title = 'Reports · Parley';
  }, []);

  const set = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    next.set(name, value);
    setParams(next, { replace: true });
  };

  const volume = useMemo(
    () =>
      data
        ? [
            { label: 'Conversations', points: data.series.conversations, color: '#1f5fbf' },
            { label: 'Resolutions', points: data.series.resolutions, color: '#2e7d32' },
          ]
        : [],
    [data],
  );
  const times = useMemo(
    () =>
      data
        ? [
            {
              label: 'First response (s)',
              points: data.series.avgFirstResponseSeconds,
              color: '#b35c00',
            },
            { label: 'Resolution (s)', points: data.series.avgResolutionSeconds, color: '#6a3fb5' },
          ]
        : [],
    [data],
  );
  const dimension = dimensions.find((entry) => entry.value === by) ?? dimensions[0];

  return (
    <div className="reports">
      <header className="reports-header">
        <h1>Reports</h1>
        <form
          className="report-period"
          aria-label="Report period"
          onSubmit={(event) => event.preventDefault()}
        >
          <label className="field">
            <span>From</span>
            <input type="date" value={from} max={to} onChange={(event) => set('from', event.target.value)} />
          </label>
          <label className="field">
            <span>To</span>
            <input type="date" value={to} min={from} onChange={(event) => set('to', event.target.value)} />
          </label>
          <label className="field">
            <span>Group by</span>
            <select value={groupBy} onChange={(event) => set('groupBy', event.target.value)}>
              {groupings.map((grouping) => (
                <option key={grouping.value} value={grouping.value}>
                  {grouping.label}
                </option>
              ))}
            </select>
          </label>
        </form>
      </header>

      {!query && (
        <p role="alert" className="report-error">
          Choose a start date on or before the end date.
        </p>
      )}
      {report.error && query && (
        <p role="alert" className="report-error">
          The report could not be loaded: {report.error.message}
        </p>
      )}

      {data && (
        <>
          <section aria-labelledby="report-totals-title">
            <h2 id="report-totals-title" className="visually-hidden">
              Totals
            </h2>
            <dl className="report-totals">
              <div>
                <dt>Conversations</dt>
                <dd data-testid="total-conversations">{data.totals.conversations}</dd>
              </div>
              <div>
                <dt>Resolutions</dt>
                <dd data-testid="total-resolutions">{data.totals.resolutions}</dd>
              </div>
              <div>
                <dt>Avg. first response</dt>
                <dd>{duration(data.totals.avgFirstResponseSeconds)}</dd>
              </div>
              <div>
                <dt>Avg. resolution time</dt>
                <dd>{duration(data.totals.avgResolutionSeconds)}</dd>
              </div>
              <div>
                <dt>Messages in / out</dt>
                <dd>
                  {data.totals.incomingMessages} / {data.totals.outgoingMessages}
                </dd>
              </div>
            </dl>
          </section>

          <section className="report-charts" aria-label="Charts">
            <ReportChart title="Conversations and resolutions" series={volume} />
            <ReportChart title="Average first response and resolution times (seconds)" series={times} />
          </section>

          <section className="report-breakdown" aria-labelledby="report-breakdown-title">
            <div className="report-breakdown-header">
              <h2 id="report-breakdown-title">By {dimension.one.toLowerCase()}</h2>
              <div role="group" aria-label="Break down by" className="segmented">
                {dimensions.map((entry) => (
                  <button
                    key={entry.value}
                    type="button"
                    aria-pressed={entry.value === by}
                    onClick={() => set('by', entry.value)}
                  >
                    {entry.label}
                  </button>
                ))}
              </div>
              {query && (
                <a className="button" href={`/api${reportPath(accountId, query, true)}`} download>
                  Export CSV
                </a>
              )}
            </div>
            <table className="report-table">
              <thead>
                <tr>
                  <th scope="col">{dimension.one}</th>
                  <th scope="col">Conversations</th>
                  <th scope="col">Resolutions</th>
                  <th scope="col">Avg. first response</th>
                  <th scope="col">Avg. resolution time</th>
                </tr>
              </thead>
              <tbody>
                {data.breakdown.map((row) => (
                  <tr key={row.id}>
                    <th scope="row">{row.name}</th>
                    <td>{row.conversations}</td>
                    <td>{row.resolutions}</td>
                    <td>{duration(row.avgFirstResponseSeconds)}</td>
                    <td>{duration(row.avgResolutionSeconds)}</td>
                  </tr>
                ))}
                {data.breakdown.length === 0 && (
                  <tr>
                    <td colSpan={5}>Nothing to show for this period.</td>
                  </tr>
                )}
              </tbody>
            </table>
          </section>
        </>
      )}
    </div>
  );
}
