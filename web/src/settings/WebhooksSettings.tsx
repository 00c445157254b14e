import { useState, type SyntheticEvent } from 'react';
import { useAccount } from '../shell/account-context';
import {
  useCreateWebhook,
  useDeleteWebhook,
  useDeliveries,
  useEventTypes,
  useRedeliver,
  useSetWebhookEnabled,
  useWebhooks,
  type Webhook,
} from './api';
import { ConfirmButton, Field, FormErrors, fieldErrors, formatDate, formText } from './forms';
import { SettingsTable } from './SettingsTable';

function healthOf(webhook: Webhook): string {
  if (!webhook.enabled) return webhook.disabledReason ? `Disabled (${webhook.disabledReason})` : 'Disabled';
  if (webhook.circuit.state !== 'closed')
    return `Paused after ${String(webhook.consecutiveFailures)} failures`;
  if (webhook.consecutiveFailures > 0) return `Failing (${String(webhook.consecutiveFailures)})`;
  return 'Healthy';
}

export function WebhooksSettings() {
  const { accountId } = useAccount();
  const webhooks = useWebhooks(accountId);
  const setEnabled = useSetWebhookEnabled(accountId);
  const remove = useDeleteWebhook(accountId);
  const [open, setOpen] = useState<number | null>(null);
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  const opened = webhooks.data?.find((webhook) => webhook.id === open) ?? null;
  return (
    <section className="settings-section" aria-labelledby="webhooks-title">
      <h2 id="webhooks-title">Webhooks</h2>
      <p className="subtle">
        Parley posts the account&apos;s events to these URLs, signed with each one&apos;s secret.
      </p>
      {secret ? (
        <div className="settings-panel issued-key" role="status">
          <div className="settings-field">
            <label htmlFor="webhook-secret">Signing secret for {secret.url}</label>
            <span id="webhook-secret-hint" className="subtle">
              Copy it now: it is shown only this once.
            </span>
            <input
              id="webhook-secret"
              className="snippet"
              readOnly
              value={secret.secret}
              aria-describedby="webhook-secret-hint"
            />
          </div>
          <button
            type="button"
            className="button"
            onClick={() => {
              setSecret(null);
            }}
          >
            Done
          </button>
        </div>
      ) : null}
      <FormErrors error={webhooks.error ?? setEnabled.error ?? remove.error} />
      {webhooks.data && webhooks.data.length === 0 ? <p className="subtle">No webhooks yet.</p> : null}
      {webhooks.data && webhooks.data.length > 0 ? (
        <SettingsTable caption="Webhooks" columns={['URL', 'Events', 'Status']}>
          {webhooks.data.map((webhook) => (
            <tr key={webhook.id} aria-current={webhook.id === open ? 'true' : undefined}>
              <td className="clamp">
                {webhook.name ? <strong>{webhook.name} </strong> : null}
                {webhook.url}
              </td>
              <td>{webhook.events.length === 0 ? 'All events' : webhook.events.join(', ')}</td>
              <td>{healthOf(webhook)}</td>
              <td className="row-actions">
                <button
                  type="button"
                  className="link-button"
                  aria-label={`Deliveries to ${webhook.url}`}
                  onClick={() => {
                    setOpen(webhook.id);
                  }}
                >
                  Deliveries
                </button>
                <button
                  type="button"
                  className="link-button"
                  disabled={setEnabled.isPending}
                  onClick={() => {
                    setEnabled.mutate({ id: webhook.id, enabled: !webhook.enabled });
                  }}
                >
                  {webhook.enabled ? 'Disable' : 'Enable'}
                </button>
                {webhook.readOnly ? null : (
                  <ConfirmButton
                    label="Delete"
                    question={`Delete the webhook to ${webhook.url} and its delivery log?`}
                    pending={remove.isPending}
                    onConfirm={() => {
                      remove.mutate(webhook.id, {
                        onSuccess: () => {
                          if (open === webhook.id) setOpen(null);
                        },
                      });
                    }}
                  />
                )}
              </td>
            </tr>
          ))}
        </SettingsTable>
      ) : null}
      {opened ? <DeliveryLog webhook={opened} /> : null}
      <CreateWebhookForm onCreated={setSecret} />
    </section>
  );
}

function DeliveryLog({ webhook }: { webhook: Webhook }) {
  const { accountId } = useAccount();
  const deliveries = useDeliveries(accountId, webhook.id);
  const redeliver = useRedeliver(accountId, webhook.id);
  return (
    <div className="settings-panel">
      <h3 id="deliveries-title">Deliveries to {webhook.url}</h3>
      <div className="settings-row">
        <button
          type="button"
          className="button"
          disabled={deliveries.isFetching}
          onClick={() => {
            void deliveries.refetch();
          }}
        >
          Refresh deliveries
        </button>
        <span role="status" className="subtle">
          {redeliver.isSuccess ? 'Queued for redelivery.' : ''}
        </span>
      </div>
      <FormErrors error={deliveries.error ?? redeliver.error} />
      {deliveries.isPending ? <p className="loading">Loading deliveries…</p> : null}
      {deliveries.data && deliveries.data.length === 0 ? (
        <p className="subtle">Nothing delivered yet.</p>
      ) : null}
      {deliveries.data && deliveries.data.length > 0 ? (
        <table className="settings-table" aria-labelledby="deliveries-title">
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">State</th>
              <th scope="col">Attempts</th>
              <th scope="col">Last answer</th>
              <th scope="col">Created</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {deliveries.data.map((delivery) => (
              <tr key={delivery.id}>
                <td>{delivery.eventType}</td>
                <td>{delivery.state}</td>
                <td>{delivery.attempts}</td>
                <td className="clamp">
                  {delivery.lastStatusCode !== null
                    ? String(delivery.lastStatusCode)
                    : (delivery.lastError ?? '—')}
                </td>
                <td>{formatDate(delivery.createdAt)}</td>
                <td className="row-actions">
                  {delivery.state === 'pending' ? null : (
                    <button
                      type="button"
                      className="button"
                      disabled={redeliver.isPending}
                      aria-label={`Redeliver ${delivery.eventType} of ${formatDate(delivery.createdAt)}`}
                      onClick={() => {
                        redeliver.mutate(delivery.id);
                      }}
                    >
                      Redeliver
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}

function CreateWebhookForm({ onCreated }: { onCreated: (issued: { url: string; secret: string }) => void }) {
  const { accountId } = useAccount();
  const create = useCreateWebhook(accountId);
  const eventTypes = useEventTypes();
  const eventsError = fieldErrors(create.error).byField.events;
  function submit(event: SyntheticEvent<HTMLFormElement>) {
    event.preventDefault();
    const target = event.currentTarget;
    const form = new FormData(target);
    const name = formText(form, 'name').trim();
    const events = form.getAll('events').filter((value): value is string => typeof value === 'string');
    create.mutate(
      { url: formText(form, 'url').trim(), name: name || undefined, events },
      {
        onSuccess: (webhook) => {
          target.reset();
          onCreated({ url: webhook.url, secret: webhook.secret });
        },
      },
    );
  }
  return (
    <form className="settings-form" onSubmit={submit} aria-labelledby="new-webhook-title" noValidate>
      <h3 id="new-webhook-title">New webhook</h3>
      <Field
        label="URL"
        name="url"
        type="url"
        error={create.error}
        required
        placeholder="https://example.com/hooks"
      />
      <Field label="Name" name="name" error={create.error} maxLength={200} hint="Optional." />
      <fieldset className="settings-events" aria-describedby={eventsError ? 'events-error' : 'events-hint'}>
        <legend>Events</legend>
        <span id="events-hint" className="subtle">
          None ticked means every event.
        </span>
        <div className="settings-event-grid">
          {(eventTypes.data ?? []).map((type) => (
            <label key={type.type} className="check" title={type.description}>
              <input type="checkbox" name="events" value={type.type} />
              {type.type}
            </label>
          ))}
        </div>
        {eventsError ? (
          <span id="events-error" className="field-error">
            {eventsError}
          </span>
        ) : null}
      </fieldset>
      <FormErrors error={create.error} />
      <button type="submit" className="button primary" disabled={create.isPending}>
        Create webhook
      </button>
    </form>
  );
}
