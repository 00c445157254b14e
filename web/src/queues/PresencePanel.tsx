import { FormErrors } from '../settings/forms';
import { useAccount } from '../shell/account-context';
import { usePresenceList } from './api';
import { lastSeen } from './format';
import type { AgentPresence } from './presence';

/** Working, Away or Offline as text beside a dot (the colour is never the only sign). */
export function PresenceChip({
  presence,
}: {
  presence: Pick<AgentPresence, 'connectionStatus' | 'presenceStatus'>;
}) {
  const label = presence.connectionStatus === 'Offline' ? 'Offline' : (presence.presenceStatus ?? 'Working');
  return (
    <span className={`presence-chip presence-${label.toLowerCase()}`}>
      <span className="presence-dot" aria-hidden="true" />
      {label}
    </span>
  );
}

/** Every agent of the account: connected or not, Working or Away, last seen. */
export function PresencePanel() {
  const { accountId, userId } = useAccount();
  const presence = usePresenceList(accountId);
  return (
    <section className="queues-section" aria-labelledby="presence-title">
      <h2 id="presence-title">Agents' presence</h2>
      <p className="subtle">
        Routing offers conversations only to members who are online and Working. Each agent sets Working or
        Away at the top of the app.
      </p>
      {presence.isPending ? <p className="loading">Loading presence…</p> : null}
      <FormErrors error={presence.error} />
      {presence.data ? (
        <table className="settings-table">
          <caption className="visually-hidden">Agents' presence</caption>
          <thead>
            <tr>
              <th scope="col">Agent</th>
              <th scope="col">Connection</th>
              <th scope="col">Presence</th>
              <th scope="col">Last seen</th>
            </tr>
          </thead>
          <tbody>
            {presence.data.map((agent) => (
              <tr key={agent.userId}>
                <th scope="row">
                  {agent.displayName ?? agent.name}
                  {agent.userId === userId ? <span className="subtle"> (you)</span> : null}
                  <span className="subtle queue-email">{agent.email}</span>
                </th>
                <td>{agent.connectionStatus}</td>
                <td>
                  {agent.connectionStatus === 'Offline' ? (
                    <span className="subtle">—</span>
                  ) : (
                    <PresenceChip presence={agent} />
                  )}
                </td>
                <td>{lastSeen(agent.lastSeenAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
