import { useEffect, useState, type SyntheticEvent } from 'react';
import { Link } from 'react-router';
import { Field, FormErrors, formText } from '../settings/forms';
import { useAccount } from '../shell/account-context';
import { offeringAlgorithms, useCreateQueue, useQueues, type OfferingAlgorithm } from './api';
import { algorithmLabels, longestWait, seconds, useNow } from './format';
import { AlgorithmSelect } from './QueueSettingsForm';
import { PresencePanel } from './PresencePanel';
import '../settings/settings.css';
import './queues.css';

/**
 * Queues & presence (administrators): every routing queue with its live state, refreshed by the
 * real-time events of routing and presence, and every agent's presence. A queue opens its settings
 * and members.
 */
export default function QueuesPage() {
  const { accountId } = useAccount();
  const queues = useQueues(accountId);
  const now = useNow();

  useEffect(() => {
    document.title = 'Queues · Parley';
  }, []);

  return (
    <div className="queues-page">
      <header className="queues-header">
        <h1>Queues</h1>
        <p className="subtle">Live: figures move as conversations are routed and agents come and go.</p>
      </header>
      <section className="queues-section" aria-labelledby="queues-title">
        <h2 id="queues-title">Routing queues</h2>
        {queues.isPending ? <p className="loading">Loading queues…</p> : null}
        <FormErrors error={queues.error} />
        {queues.data && queues.data.length === 0 ? (
          <p className="list-message">No queue yet: create one below.</p>
        ) : null}
        {queues.data && queues.data.length > 0 ? (
          <table className="settings-table queues-table">
            <caption className="visually-hidden">Routing queues and their live state</caption>
            <thead>
              <tr>
                <th scope="col">Queue</th>
                <th scope="col">Waiting</th>
                <th scope="col">Offered now</th>
                <th scope="col">Longest wait</th>
                <th scope="col">Members online / working / total</th>
                <th scope="col">SLA threshold</th>
                <th scope="col">Offering</th>
              </tr>
            </thead>
            <tbody>
              {queues.data.map((queue) => (
                <tr key={queue.id}>
                  <th scope="row">
                    <Link to={String(queue.id)}>{queue.name}</Link>
                    {queue.isDefault ? <span className="chip queue-default">default</span> : null}
                  </th>
                  <td className="figure">{queue.live.waiting}</td>
                  <td className="figure">{queue.live.offered}</td>
                  <td>{longestWait(queue.live, queues.dataUpdatedAt, now)}</td>
                  <td>
                    {queue.live.membersOnline} / {queue.live.membersWorking} / {queue.live.members}
                  </td>
                  <td>{queue.slaTimeLimit === null ? '—' : seconds(queue.slaTimeLimit)}</td>
                  <td>{algorithmLabels[queue.offeringAlgorithm]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
      <NewQueueForm />
      <PresencePanel />
    </div>
  );
}

function NewQueueForm() {
  const { accountId } = useAccount();
  const create = useCreateQueue(accountId);
  const [created, setCreated] = useState<string | null>(null);

  function submit(event: SyntheticEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const algorithm = formText(form, 'offeringAlgorithm') as OfferingAlgorithm;
    const input = {
      name: formText(form, 'name').trim(),
      offeringAlgorithm: offeringAlgorithms.includes(algorithm) ? algorithm : 'AllAtOnce',
    };
    const target = event.currentTarget;
    create.mutate(input, {
      onSuccess: (queue) => {
        target.reset();
        setCreated(queue.name);
      },
    });
  }

  return (
    <form
      className="settings-form queues-section"
      onSubmit={submit}
      aria-labelledby="new-queue-title"
      noValidate
    >
      <h2 id="new-queue-title">New queue</h2>
      <Field label="Queue name" name="name" error={create.error} required maxLength={255} />
      <AlgorithmSelect defaultValue="AllAtOnce" error={create.error} />
      <FormErrors error={create.error} />
      {created ? (
        <p className="subtle" role="status">
          Queue “{created}” created. Open it to add its members.
        </p>
      ) : null}
      <button type="submit" className="button primary" disabled={create.isPending}>
        {create.isPending ? 'Creating…' : 'Create queue'}
      </button>
    </form>
  );
}
