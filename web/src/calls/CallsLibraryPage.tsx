import { useEffect } from 'react';
import { Link } from 'react-router';
import { useMembers } from '../api/inbox';
import { useAccount } from '../shell/account-context';
import { useCallList, useCallTags, type CallItem } from './api';
import { useCallFilters } from './filters';
import { callDate, clock, StateChip, TagList } from './format';
import { UploadForm } from './UploadForm';
import './calls.css';
import { LoadMoreButton } from '../shell/LoadMoreButton';

/** The calls library: filters (owner, date range, tag), the calls newest first, and an upload. */
export default function CallsLibraryPage() {
  const { accountId } = useAccount();
  const { filters, setFilter, clear, activeCount } = useCallFilters();
  const list = useCallList(accountId, filters);
  const members = useMembers(accountId).data ?? [];
  const tags = useCallTags(accountId).data ?? [];
  const calls = list.data?.pages.flatMap((page) => page.data) ?? [];

  useEffect(() => {
    document.title = 'Calls · Parley';
  }, []);

  return (
    <div className="calls-page">
      <header className="calls-header">
        <h1>Calls</h1>
      </header>
      <div className="calls-library">
        <section className="calls-list-section" aria-labelledby="calls-list-title">
          <h2 id="calls-list-title" className="visually-hidden">
            Call library
          </h2>
          <form
            className="call-filters"
            aria-label="Filter calls"
            onSubmit={(event) => event.preventDefault()}
          >
            <label className="field">
              <span>Owner</span>
              <select value={filters.userId} onChange={(event) => setFilter('userId', event.target.value)}>
                <option value="">Anyone</option>
                {members.map((member) => (
                  <option key={member.userId} value={String(member.userId)}>
                    {member.displayName ?? member.name}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>From</span>
              <input
                type="date"
                value={filters.from}
                max={filters.to || undefined}
                onChange={(event) => setFilter('from', event.target.value)}
              />
            </label>
            <label className="field">
              <span>To</span>
              <input
                type="date"
                value={filters.to}
                min={filters.from || undefined}
                onChange={(event) => setFilter('to', event.target.value)}
              />
            </label>
            <label className="field">
              <span>Tag</span>
              <select value={filters.tag} onChange={(event) => setFilter('tag', event.target.value)}>
                <option value="">Any</option>
                {tags.map((tag) => (
                  <option key={tag.id} value={String(tag.id)}>
                    {tag.name}
                  </option>
                ))}
              </select>
            </label>
            {activeCount > 0 && (
              <button type="button" className="button" onClick={clear}>
                Clear filters
              </button>
            )}
          </form>
          {list.isError ? (
            <p className="form-error" role="alert">
              Calls could not be loaded: {list.error.message}
            </p>
          ) : list.isPending ? (
            <p className="list-message">Loading calls…</p>
          ) : calls.length === 0 ? (
            <p className="list-message">
              {activeCount > 0 ? 'No call matches these filters.' : 'No calls yet.'}
            </p>
          ) : (
            <CallTable calls={calls} accountId={accountId} />
          )}
          <LoadMoreButton pages={list} label="Show more calls" className="button calls-more" />
        </section>
        <UploadForm accountId={accountId} members={members} />
      </div>
    </div>
  );
}

function CallTable({ calls, accountId }: { calls: CallItem[]; accountId: number }) {
  return (
    <table className="calls-table">
      <caption className="visually-hidden">Calls, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Call</th>
          <th scope="col">Date</th>
          <th scope="col">Owner</th>
          <th scope="col">Length</th>
          <th scope="col">Tags</th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        {calls.map((call) => (
          <tr key={call.id}>
            <td>
              <Link to={`/accounts/${String(accountId)}/calls/${String(call.id)}`}>{call.title}</Link>
              {call.contacts.length > 0 && (
                <div className="subtle">{call.contacts.map((contact) => contact.name).join(', ')}</div>
              )}
            </td>
            <td>{callDate(call.startedAt)}</td>
            <td>{call.user?.name ?? '—'}</td>
            <td>{call.durationSeconds > 0 ? clock(call.durationSeconds) : '—'}</td>
            <td>
              <TagList tags={call.tags} />
            </td>
            <td>
              <StateChip state={call.state} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
