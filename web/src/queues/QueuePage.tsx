import { useEffect } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError } from '../api/client';
import { FormErrors } from '../settings/forms';
import { useAccount } from '../shell/account-context';
import { useQueue } from './api';
import { algorithmLabels, longestWait, seconds, useNow } from './format';
import { QueueMembers } from './QueueMembers';
import { QueueSettingsForm } from './QueueSettingsForm';
import '../settings/settings.css';
import './queues.css';

/** One queue: its live state, its settings (saved together) and its members. */
export default function QueuePage() {
  const { accountId } = useAccount();
  const queueId = Number(useParams().queueId);
  const queue = useQueue(accountId, queueId);
  const now = useNow();
  const name = queue.data?.name;

  useEffect(() => {
    document.title = `${name ?? 'Queue'} · Queues · Parley`;
  }, [name]);

  const back = (
    <p className="queues-back">
      <Link to={`/accounts/${String(accountId)}/queues`}>← All queues</Link>
    </p>
  );
  if (queue.error instanceof ApiError && queue.error.status === 404) {
    return (
      <div className="queues-page">
        {back}
        <h1>Queue not found</h1>
      </div>
    );
  }
  if (!queue.data) {
    return (
      <div className="queues-page">
        {back}
        {queue.isPending ? <p className="loading">Loading queue…</p> : <FormErrors error={queue.error} />}
      </div>
    );
  }
  const { live } = queue.data;
  return (
    <div className="queues-page">
      {back}
      <header className="queues-header">
        <h1>{queue.data.name}</h1>
        <p className="subtle">{algorithmLabels[queue.data.offeringAlgorithm]}</p>
      </header>
      <section aria-labelledby="queue-live-title" className="queues-section">
        <h2 id="queue-live-title" className="visually-hidden">
          Live state
        </h2>
        <dl className="queue-figures">
          <div>
            <dt>Waiting</dt>
            <dd>{live.waiting}</dd>
          </div>
          <div>
            <dt>Offered now</dt>
            <dd>{live.offered}</dd>
          </div>
          <div>
            <dt>Longest wait</dt>
            <dd>{longestWait(live, queue.dataUpdatedAt, now)}</dd>
          </div>
          <div>
            <dt>Members online / working / total</dt>
            <dd>
              {live.membersOnline} / {live.membersWorking} / {live.members}
            </dd>
          </div>
          <div>
            <dt>SLA threshold</dt>
            <dd>{queue.data.slaTimeLimit === null ? '—' : seconds(queue.data.slaTimeLimit)}</dd>
          </div>
        </dl>
      </section>
      <div className="queue-columns">
        <QueueSettingsForm key={queue.data.id} queue={queue.data} />
        <QueueMembers queueId={queue.data.id} />
      </div>
    </div>
  );
}
