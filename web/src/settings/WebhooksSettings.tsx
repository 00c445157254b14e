import { useState } from 'react';
import { useAccount } from '../shell/account-context';
import {
  useCreateWebhook,
  useDeleteWebhook,
  useDeliveries,
  useEventTypes,
  useRedeliver,
  useSetWebhookEnabled,
  useWebhooks,
  type Delivery,
  type Webhook,
} from './api';
import { ConfirmButton, Field, FormErrors, fieldErrors, formatDate } from './forms';
import { MutationForm } from './MutationForm';
import { SecretOnce } from './SecretOnce';
import { ListStatus, SettingsSection } from './SettingsSection';
import { SettingsTable, type Column } from './SettingsTable';

function healthOf(webhook: Webhook): string {
  if (!webhook.enabled) return webhook.disabledReason ? `Disabled (${webhook.disabledReason})` : 'Disabled';
  if (webhook.circuit.state !== 'closed')
    return `Paused after ${String(webhook.consecutiveFailures)} failures`;
  if (webhook.consecutiveFailures > 0) return `Failing (${String(webhook.consecutiveFailures)})`;
  return 'Healthy';
}

const webhookColumns: Column<Webhook>[] = [
  {
    heading: 'URL',
    className: 'clamp',
    cell: (webhook) => (
      <>
        {webhook.name ? <strong>{webhook.name} </strong> : null}
        {webhook.url}
      </>
    ),
  },
  {
    heading: 'Events',
    cell: (webhook) => (webhook.events.length === 0 ? 'All events' : webhook.events.join(', ')),
  },
  { heading: 'Status', cell: healthOf },
];

const deliveryColumns: Column<Delivery>[] = [
  { heading: 'Event', cell: (delivery) => delivery.eventType },
  { heading: 'State', cell: (delivery) => delivery.state },
  { heading: 'Attempts', cell: (delivery) => delivery.attempts },
  {
    heading: 'Last answer',
    className: 'clamp',
    cell: (delivery) =>
      delivery.lastStatusCode !== null ? String(delivery.lastStatusCode) : (delivery.lastError ?? '—'),
  },
  { heading: 'Created', cell: (delivery) => formatDate(delivery.createdAt) },
];

export function WebhooksSettings() {
  const { accountId } = useAccount();
  const webhooks = useWebhooks(accountId);
  const setEnabled = useSetWebhookEnabled(accountId);
  const remove = useDeleteWebhook(accountId);
  const [open, setOpen] = useState<number | null>(null);
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  const opened = webhooks.data?.find((webhook) => webhook.id === open) ?? null;
  return (
    <SettingsSection
      title="Webhooks"
      intro="Parley posts the account's events to these URLs, signed with each one's secret."
    >
      {secret ? (
        <SecretOnce
          label={`Signing secret for ${secret.url}`}
          value={secret.secret}
          copyLabel="Copy secret"
          onDone={() => {
            setSecret(null);
          }}
        />
      ) : null}
      <ListStatus list={webhooks} what="webhooks" actionError={setEnabled.error ?? remove.error} />
      <SettingsTable
        caption="Webhooks"
        columns={webhookColumns}
        rows={webhooks.data}
        rowKey={(webhook) => webhook.id}
        current={open}
        actions={(webhook) => (
          <>
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
          </>
        )}
      />
      {opened ? <DeliveryLog webhook={opened} /> : null}
      <CreateWebhookForm onCreated={setSecret} />
    </SettingsSection>
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
      <SettingsTable
        labelledBy="deliveries-title"
        columns={deliveryColumns}
        rows={deliveries.data}
        rowKey={(delivery) => delivery.id}
        actions={(delivery) =>
          delivery.state === 'pending' ? null : (
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
          )
        }
      />
    </div>
  );
}

function CreateWebhookForm({ onCreated }: { onCreated: (issued: { url: string; secret: string }) => void }) {
  const { accountId } = useAccount();
  const create = useCreateWebhook(accountId);
  const eventTypes = useEventTypes();
  const eventsError = fieldErrors(create.error).byField.events;
  return (
    <MutationForm
      title="New webhook"
      submitLabel="Create webhook"
      write={create}
      read={(form) => ({
        url: form.text('url'),
        name: form.text('name') || undefined,
        events: form.values('events'),
      })}
      onSaved={(webhook) => {
        onCreated({ url: webhook.url, secret: webhook.secret });
      }}
    >
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
    </MutationForm>
  );
}
