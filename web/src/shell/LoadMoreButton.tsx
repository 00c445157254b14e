/** The slice of an infinite query the button needs (TanStack Query's `useInfiniteQuery` result). */
interface Pages {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => Promise<unknown>;
}

/** "Load more" under a keyset-paged list: shown while there is a next page, busy while it loads. */
export function LoadMoreButton(props: { pages: Pages; label: string; className?: string }) {
  const { pages } = props;
  if (!pages.hasNextPage) return null;
  return (
    <button
      type="button"
      className={props.className ?? 'button'}
      disabled={pages.isFetchingNextPage}
      onClick={() => void pages.fetchNextPage()}
    >
      {pages.isFetchingNextPage ? 'Loading…' : props.label}
    </button>
  );
}
