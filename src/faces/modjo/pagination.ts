/** Modjo's PaginationData: `nextPage` is absent on the last page; `lastPage` is at least 1. */
export function paginationOf(page: number, perPage: number, totalValues: number) {
  const lastPage = Math.max(1, Math.ceil(totalValues / perPage));
  return { page, perPage, ...(page < lastPage && { nextPage: page + 1 }), totalValues, lastPage };
}
