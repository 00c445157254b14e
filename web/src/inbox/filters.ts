import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { ConversationFilters } from '../api/inbox';

const tabs = ['mine', 'unassigned', 'all'] as const;
const filterNames = ['status', 'inboxId', 'teamId', 'label', 'assigneeId', 'priority', 'q'] as const;
export type FilterName = (typeof filterNames)[number];

/** The list's filters live in the URL: a reload, a shared link or Back shows the same list. */
export function useFilters(): {
  filters: ConversationFilters;
  setFilter: (name: FilterName | 'tab', value: string) => void;
  setFilters: (changes: Partial<Record<FilterName | 'tab', string>>) => void;
} {
  const [params, setParams] = useSearchParams();
  const filters = useMemo<ConversationFilters>(() => {
    const tab = params.get('tab');
    return {
      tab: tabs.find((item) => item === tab) ?? 'mine',
      status: params.get('status') ?? 'open',
      inboxId: params.get('inboxId') ?? '',
      teamId: params.get('teamId') ?? '',
      label: params.get('label') ?? '',
      assigneeId: params.get('assigneeId') ?? '',
      priority: params.get('priority') ?? '',
      q: params.get('q') ?? '',
    };
  }, [params]);

  // One URL update per change: react-router does not queue functional updates like setState does.
  const setFilters = useCallback(
    (changes: Partial<Record<FilterName | 'tab', string>>) => {
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          for (const [name, value] of Object.entries(changes)) {
            if (!value) next.delete(name);
            else next.set(name, value);
          }
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );
  const setFilter = useCallback(
    (name: FilterName | 'tab', value: string) => setFilters({ [name]: value }),
    [setFilters],
  );

  return { filters, setFilter, setFilters };
}

export function activeFilterCount(filters: ConversationFilters): number {
  return filterNames.filter((name) => name !== 'q' && name !== 'status' && filters[name] !== '').length;
}
