import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useConversationList, useInboxes, useLabels, useMembers, useTeams } from '../api/inbox';
import type { Conversation, Tab } from '../api/types';
import { ConversationList } from './ConversationList';
import { activeFilterCount, useFilters, type FilterName } from './filters';

const tabLabels: Record<Tab, string> = { mine: 'Mine', unassigned: 'Unassigned', all: 'All' };
const tabOrder: Tab[] = ['mine', 'unassigned', 'all'];

/** Tabs with counts, search and filters above the virtualized list. */
export function ListPane(props: {
  accountId: number;
  selectedId: number | null;
  onOpen: (c: Conversation) => void;
}) {
  const { filters, setFilter } = useFilters();
  const list = useConversationList(props.accountId, filters);
  const counts = list.data?.pages[0]?.counts;
  const tabRefs = useRef<Partial<Record<Tab, HTMLButtonElement | null>>>({});

  const onTabKey = (event: KeyboardEvent<HTMLButtonElement>) => {
    const index = tabOrder.indexOf(filters.tab);
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = tabOrder[(index + step + tabOrder.length) % tabOrder.length] ?? 'mine';
    setFilter('tab', next);
    tabRefs.current[next]?.focus();
  };

  return (
    <section className="list-pane" aria-label="Conversation list">
      <div className="list-tools">
        <SearchBox value={filters.q} onSearch={(value) => setFilter('q', value)} />
        <label className="compact-field">
          <span>Status</span>
          <select value={filters.status} onChange={(event) => setFilter('status', event.target.value)}>
            <option value="open">Open</option>
            <option value="pending">Pending</option>
            <option value="snoozed">Snoozed</option>
            <option value="resolved">Resolved</option>
            <option value="all">All</option>
          </select>
        </label>
        <FilterPanel accountId={props.accountId} />
      </div>
      <div className="tabs" role="tablist" aria-label="Whose conversations">
        {tabOrder.map((tab) => (
          <button
            key={tab}
            ref={(element) => {
              tabRefs.current[tab] = element;
            }}
            type="button"
            role="tab"
            id={`tab-${tab}`}
            aria-selected={filters.tab === tab}
            aria-controls="conversation-tabpanel"
            tabIndex={filters.tab === tab ? 0 : -1}
            className="tab"
            onClick={() => setFilter('tab', tab)}
            onKeyDown={onTabKey}
          >
            {tabLabels[tab]}{' '}
            <span className="count" data-testid={`count-${tab}`}>
              {counts ? counts[tab] : '…'}
            </span>
          </button>
        ))}
      </div>
      <div
        id="conversation-tabpanel"
        role="tabpanel"
        aria-labelledby={`tab-${filters.tab}`}
        className="tabpanel"
      >
        <ConversationList list={list} filters={filters} selectedId={props.selectedId} onOpen={props.onOpen} />
      </div>
    </section>
  );
}

function SearchBox({ value, onSearch }: { value: string; onSearch: (value: string) => void }) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  // Search as one types, but not on every keystroke.
  useEffect(() => {
    if (text === value) return;
    const timer = window.setTimeout(() => onSearch(text.trim()), 300);
    return () => window.clearTimeout(timer);
  }, [text, value, onSearch]);
  return (
    <label className="search">
      <span className="visually-hidden">Search conversations</span>
      <input
        type="search"
        placeholder="Search…"
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter') onSearch(text.trim());
        }}
      />
    </label>
  );
}

function FilterPanel({ accountId }: { accountId: number }) {
  const { filters, setFilter, setFilters } = useFilters();
  const inboxes = useInboxes(accountId).data ?? [];
  const teams = useTeams(accountId).data ?? [];
  const labels = useLabels(accountId).data ?? [];
  const members = useMembers(accountId).data ?? [];
  const active = activeFilterCount(filters);

  const select = (name: FilterName, label: string, options: { value: string; label: string }[]) => (
    <label className="field">
      <span>{label}</span>
      <select value={filters[name]} onChange={(event) => setFilter(name, event.target.value)}>
        <option value="">Any</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <details className="filter-panel">
      <summary>Filters{active > 0 ? ` (${String(active)})` : ''}</summary>
      <div className="filter-grid">
        {select(
          'inboxId',
          'Inbox',
          inboxes.map((inbox) => ({ value: String(inbox.id), label: inbox.name })),
        )}
        {select(
          'teamId',
          'Team',
          teams.map((team) => ({ value: String(team.id), label: team.name })),
        )}
        {select(
          'label',
          'Label',
          labels.map((label) => ({ value: label.title, label: label.title })),
        )}
        {select(
          'assigneeId',
          'Assignee',
          members.map((member) => ({
            value: String(member.userId),
            label: member.displayName ?? member.name,
          })),
        )}
        {select('priority', 'Priority', [
          { value: 'urgent', label: 'Urgent' },
          { value: 'high', label: 'High' },
          { value: 'medium', label: 'Medium' },
          { value: 'low', label: 'Low' },
        ])}
        {active > 0 && (
          <button
            type="button"
            className="button"
            onClick={() => setFilters({ inboxId: '', teamId: '', label: '', assigneeId: '', priority: '' })}
          >
            Clear filters
          </button>
        )}
      </div>
    </details>
  );
}
