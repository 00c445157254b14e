import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { CallFilters } from './api';

const names = ['userId', 'from', 'to', 'tag'] as const;

/** The library's filters live in the URL: reload, Back and shared links keep them. */
export function useCallFilters() {
  const [params, setParams] = useSearchParams();
  const filters = useMemo<CallFilters>(
    () => ({
      userId: params.get('userId') ?? '',
      from: params.get('from') ?? '',
      to: params.get('to') ?? '',
      tag: params.get('tag') ?? '',
    }),
    [params],
  );
  const setFilter = useCallback(
    (name: keyof CallFilters, value: string) => {
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          if (value) next.set(name, value);
          else next.delete(name);
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );
  const clear = useCallback(() => {
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const name of names) next.delete(name);
        return next;
      },
      { replace: true },
    );
  }, [setParams]);
  const activeCount = names.filter((name) => filters[name] !== '').length;
  return { filters, setFilter, clear, activeCount };
}
