import { useId } from 'react';

/**
 * A secret the server keeps only as a hash (an API key, a webhook's signing secret): shown this
 * once from component state, never cached or refetchable, with Copy and Done.
 */
export function SecretOnce({
  label,
  value,
  copyLabel,
  onDone,
}: {
  label: string;
  value: string;
  copyLabel: string;
  onDone: () => void;
}) {
  const id = useId();
  return (
    <div className="settings-panel issued-key" role="status">
      <div className="settings-field">
        <label htmlFor={id}>{label}</label>
        <span id={`${id}-hint`} className="subtle">
          Copy it now: it is shown only this once.
        </span>
        <input
          id={id}
          className="snippet"
          readOnly
          value={value}
          aria-describedby={`${id}-hint`}
          onFocus={(event) => {
            event.currentTarget.select();
          }}
        />
      </div>
      <div className="settings-row">
        <button
          type="button"
          className="button"
          onClick={() => {
            void navigator.clipboard.writeText(value);
          }}
        >
          {copyLabel}
        </button>
        <button type="button" className="button" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
