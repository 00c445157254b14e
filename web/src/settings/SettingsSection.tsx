import { useId, type ReactNode } from 'react';
import { FormErrors } from './forms';

/** One settings section: its heading (which names the region), a line saying what it is for, the rest. */
export function SettingsSection({
  title,
  intro,
  children,
}: {
  title: string;
  intro: ReactNode;
  children: ReactNode;
}) {
  const titleId = useId();
  return (
    <section className="settings-section" aria-labelledby={titleId}>
      <h2 id={titleId}>{title}</h2>
      <p className="subtle">{intro}</p>
      {children}
    </section>
  );
}

/**
 * What a section's list says before or instead of its rows: loading, the load's (or a row
 * action's) error, or that there is nothing yet.
 */
export function ListStatus({
  list,
  what,
  actionError,
}: {
  list: { isPending: boolean; error: unknown; data?: readonly unknown[] | undefined };
  /** Plural, lower case: "teams", "canned responses". */
  what: string;
  actionError?: unknown;
}) {
  return (
    <>
      {list.isPending ? <p className="loading">Loading {what}…</p> : null}
      <FormErrors error={list.error ?? actionError} />
      {list.data?.length === 0 ? <p className="subtle">No {what} yet.</p> : null}
    </>
  );
}
