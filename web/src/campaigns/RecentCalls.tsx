import { useAccount } from '../shell/account-context';
import { FormErrors } from '../settings/forms';
import { useRecentCalls, type Campaign, type Decision, type RecentCall } from './api';
import { outcomeLabels, reasonText, when } from './format';
import { LoadMoreButton } from '../shell/LoadMoreButton';

/** Why the dialer placed a call, from its `dial` decision: the contact as the pick saw it. */
function whyDialled(call: RecentCall): string {
  const dial = call.decisions.find((decision) => decision.kind === 'dial');
  if (!dial) return '—';
  const details = dial.details;
  const parts = [reasonText(dial.reason)];
  if (typeof details.triesBefore === 'number') parts.push(`try ${String(details.triesBefore + 1)}`);
  if (typeof details.priority === 'number') parts.push(`priority ${String(details.priority)}`);
  if (details.isCallback === true) parts.push('callback asked for');
  else if (typeof details.retryAt === 'string') parts.push(`retry due ${when(details.retryAt)}`);
  if (typeof details.localTime === 'string') parts.push(`local time ${details.localTime}`);
  return parts.join(', ');
}

function decisionLine(decision: Decision): string {
  const details = Object.entries(decision.details)
    .filter(([, value]) => value !== null && typeof value !== 'object')
    .map(([key, value]) => `${key}: ${String(value as string | number | boolean)}`)
    .join(', ');
  return `${when(decision.decidedAt)}: ${decision.kind}, ${reasonText(decision.reason)}${details ? ` (${details})` : ''}`;
}

/**
 * The campaign's dials, newest first, with the decisions behind each (why it was placed, who
 * took it, what was decided after): what a supervisor reads to see why a number was dialled.
 */
export function RecentCalls({ campaign }: { campaign: Campaign }) {
  const { accountId } = useAccount();
  const calls = useRecentCalls(accountId, campaign.id);
  const rows = calls.data?.pages.flatMap((page) => page.data) ?? [];
  return (
    <section className="settings-section campaign-section" aria-labelledby="calls-title">
      <div className="campaigns-header">
        <h2 id="calls-title">Recent calls</h2>
        <button
          type="button"
          className="button"
          disabled={calls.isFetching}
          onClick={() => void calls.refetch()}
        >
          Refresh calls
        </button>
      </div>
      <FormErrors error={calls.error} />
      <table className="settings-table">
        <caption className="visually-hidden">Recent calls of {campaign.name}</caption>
        <thead>
          <tr>
            <th scope="col">Placed</th>
            <th scope="col">Contact</th>
            <th scope="col">Number</th>
            <th scope="col">Outcome</th>
            <th scope="col">Agent</th>
            <th scope="col">Wrap-up</th>
            <th scope="col">Why it was dialled</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((call) => (
            <tr key={call.id}>
              <td>{when(call.placedAt)}</td>
              <td className="numeric">
                {call.contactNumber === null ? '—' : `#${String(call.contactNumber)}`}
              </td>
              <td>
                {call.phoneNumber}
                <span className="subtle cell-note">{call.phoneName}</span>
              </td>
              <td>{call.outcome ? (outcomeLabels[call.outcome] ?? call.outcome) : 'Ringing'}</td>
              <td>{call.agentName ?? '—'}</td>
              <td>{call.wrapupName ?? '—'}</td>
              <td>
                {whyDialled(call)}
                {call.decisions.length > 0 && (
                  <details className="decisions">
                    <summary>
                      All {call.decisions.length} decisions
                      <span className="visually-hidden"> about call {call.id}</span>
                    </summary>
                    <ol>
                      {call.decisions.map((decision) => (
                        <li key={decision.id}>{decisionLine(decision)}</li>
                      ))}
                    </ol>
                  </details>
                )}
              </td>
            </tr>
          ))}
          {!calls.isPending && rows.length === 0 && (
            <tr>
              <td colSpan={7}>No calls yet.</td>
            </tr>
          )}
        </tbody>
      </table>
      <LoadMoreButton pages={calls} label="Older calls" />
    </section>
  );
}
