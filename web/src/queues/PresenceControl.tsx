import { useId } from 'react';
import { useOwnPresence, useSetOwnPresence, type PresenceStatus } from './presence';
import './presence-control.css';

/**
 * The signed-in person's Working/Away switch in the shell's header. Working: routing offers them
 * conversations of their queues; Away: it does not (they stay connected). The server's answer, and
 * later real-time notices, set what it shows.
 */
export function PresenceControl({ accountId }: { accountId: number }) {
  const id = useId();
  const own = useOwnPresence(accountId);
  const set = useSetOwnPresence(accountId);
  const shown: PresenceStatus | 'Offline' =
    own.data?.connectionStatus === 'Offline' ? 'Offline' : (own.data?.presenceStatus ?? 'Working');
  return (
    <span className={`presence-control presence-${shown.toLowerCase()}`}>
      <span className="presence-dot" aria-hidden="true" />
      <label htmlFor={id} className="visually-hidden">
        Your presence
      </label>
      <select
        id={id}
        value={shown}
        disabled={!own.data}
        aria-describedby={set.error ? `${id}-error` : undefined}
        onChange={(event) => {
          set.mutate(event.target.value === 'Away' ? 'Away' : 'Working');
        }}
      >
        {shown === 'Offline' ? (
          <option value="Offline" disabled>
            Offline
          </option>
        ) : null}
        <option value="Working">Working</option>
        <option value="Away">Away</option>
      </select>
      {set.error ? (
        <span id={`${id}-error`} className="visually-hidden" role="alert">
          Presence not changed: {set.error.message}
        </span>
      ) : null}
    </span>
  );
}
