import type { ReactNode } from 'react';

/** One column of a settings list: its heading and what a row shows in it. */
export interface Column<Row> {
  heading: string;
  cell: (row: Row) => ReactNode;
  className?: string;
}

/** The table's accessible name: a caption only screen readers read, or the heading it sits under. */
type TableName = { caption: string; labelledBy?: undefined } | { caption?: undefined; labelledBy: string };

/**
 * A settings section's list: a table named for screen readers, the given columns and a last,
 * unlabelled-on-screen column for each row's actions. Nothing while there are no rows (the
 * section's ListStatus says so); the row `current` names is marked (the one shown or edited).
 */
export function SettingsTable<Row>({
  columns,
  rows,
  rowKey,
  current,
  actions,
  ...name
}: {
  columns: readonly Column<Row>[];
  rows: readonly Row[] | undefined;
  rowKey: (row: Row) => number | string;
  current?: number | string | null;
  actions: (row: Row) => ReactNode;
} & TableName) {
  if (!rows || rows.length === 0) return null;
  return (
    <table className="settings-table" aria-labelledby={name.labelledBy}>
      {name.caption ? <caption className="visually-hidden">{name.caption}</caption> : null}
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column.heading} scope="col">
              {column.heading}
            </th>
          ))}
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)} aria-current={rowKey(row) === current ? 'true' : undefined}>
            {columns.map((column) => (
              <td key={column.heading} className={column.className}>
                {column.cell(row)}
              </td>
            ))}
            <td className="row-actions">{actions(row)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
