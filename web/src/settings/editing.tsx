import { useCallback, useState } from 'react';

const buttonId = (kind: string, id: number) => `edit-${kind}-${String(id)}`;

/**
 * Which row of a section is being edited. Closing the edit form (saved or cancelled) puts focus
 * back on that row's Edit button, so a keyboard user carries on where they were.
 */
export function useEditing(kind: string) {
  const [editing, setEditing] = useState<number | null>(null);
  const close = useCallback(() => {
    if (editing !== null) {
      const id = buttonId(kind, editing);
      // After the form is gone and the row re-rendered (its name may have changed).
      window.requestAnimationFrame(() => document.getElementById(id)?.focus());
    }
    setEditing(null);
  }, [kind, editing]);
  return { editing, open: setEditing, close };
}

/** A row's Edit button; its accessible name says what it edits. */
export function EditButton({
  kind,
  id,
  name,
  onEdit,
}: {
  kind: string;
  id: number;
  name: string;
  onEdit: (id: number) => void;
}) {
  return (
    <button
      type="button"
      id={buttonId(kind, id)}
      className="link-button"
      aria-label={`Edit ${name}`}
      onClick={() => {
        onEdit(id);
      }}
    >
      Edit
    </button>
  );
}
