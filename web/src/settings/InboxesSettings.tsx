import { useState, type SyntheticEvent } from 'react';
import { useAccount } from '../shell/account-context';
import { useCreateInbox, useDeleteInbox, useInboxDetail, useInboxes, type InboxDetail } from './api';
import { ConfirmButton, Field, FormErrors, formatDate, formText } from './forms';
import { SettingsTable } from './SettingsTable';

const channelLabels: Record<string, string> = {
  web_widget: 'Web widget',
  api: 'API',
  email: 'Email',
  sms: 'SMS',
  whatsapp: 'WhatsApp',
  voice: 'Voice',
};

/** What a website pastes before `</body>`: the widget script, told which inbox it writes to. */
export function embedSnippet(origin: string, identifier: string): string {
  return `<script src="${origin}/widget.js" data-inbox-token="${identifier}" async></script>`;
}

export function InboxesSettings() {
  const { accountId } = useAccount();
  const inboxes = useInboxes(accountId);
  const [selected, setSelected] = useState<number | null>(null);
  return (
    <section className="settings-section" aria-labelledby="inboxes-title">
      <h2 id="inboxes-title">Inboxes</h2>
      <p className="subtle">The channels conversations arrive on.</p>
      {inboxes.isPending ? <p className="loading">Loading inboxes…</p> : null}
      {inboxes.error ? <FormErrors error={inboxes.error} /> : null}
      {inboxes.data && inboxes.data.length === 0 ? <p className="subtle">No inboxes yet.</p> : null}
      {inboxes.data && inboxes.data.length > 0 ? (
        <SettingsTable caption="Inboxes" columns={['Name', 'Channel']}>
          {inboxes.data.map((inbox) => (
            <tr key={inbox.id} aria-current={inbox.id === selected ? 'true' : undefined}>
              <td>{inbox.name}</td>
              <td>{channelLabels[inbox.channelType] ?? inbox.channelType}</td>
              <td className="row-actions">
                <button
                  type="button"
                  className="link-button"
                  aria-label={`Show ${inbox.name}`}
                  onClick={() => {
                    setSelected(inbox.id);
                  }}
                >
                  Show
                </button>
              </td>
            </tr>
          ))}
        </SettingsTable>
      ) : null}
      {selected !== null ? (
        <InboxPanel
          inboxId={selected}
          onDeleted={() => {
            setSelected(null);
          }}
        />
      ) : null}
      <CreateInboxForm onCreated={setSelected} />
    </section>
  );
}

function CreateInboxForm({ onCreated }: { onCreated: (id: number) => void }) {
  const { accountId } = useAccount();
  const create = useCreateInbox(accountId);
  const [channelType, setChannelType] = useState<'web_widget' | 'api'>('web_widget');

  function submit(event: SyntheticEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (key: string) => formText(form, key).trim();
    const optional = (key: string) => text(key) || undefined;
    const input =
      channelType === 'web_widget'
        ? {
            channelType,
            name: text('name'),
            websiteUrl: optional('websiteUrl'),
            widgetColor: optional('widgetColor'),
          }
        : { channelType, name: text('name'), webhookUrl: optional('webhookUrl') };
    const target = event.currentTarget;
    create.mutate(input, {
      onSuccess: (inbox) => {
        target.reset();
        onCreated(inbox.id);
      },
    });
  }

  return (
    <form className="settings-form" onSubmit={submit} aria-labelledby="new-inbox-title" noValidate>
      <h3 id="new-inbox-title">New inbox</h3>
      <fieldset className="settings-choice">
        <legend>Channel</legend>
        <label className="check">
          <input
            type="radio"
            name="channelType"
            value="web_widget"
            checked={channelType === 'web_widget'}
            onChange={() => {
              setChannelType('web_widget');
            }}
          />
          Web widget (chat on your website)
        </label>
        <label className="check">
          <input
            type="radio"
            name="channelType"
            value="api"
            checked={channelType === 'api'}
            onChange={() => {
              setChannelType('api');
            }}
          />
          API (your own client posts messages)
        </label>
      </fieldset>
      <Field label="Inbox name" name="name" error={create.error} required maxLength={100} />
      {channelType === 'web_widget' ? (
        <>
          <Field
            label="Website URL"
            name="websiteUrl"
            type="url"
            error={create.error}
            placeholder="https://www.example.com"
          />
          <Field
            label="Widget colour"
            name="widgetColor"
            error={create.error}
            placeholder="#1f5fbf"
            hint="Six-digit hex colour, optional."
          />
        </>
      ) : (
        <Field
          label="Callback URL"
          name="webhookUrl"
          type="url"
          error={create.error}
          placeholder="https://api.example.com/parley-events"
          hint="Where Parley posts this inbox's events, optional."
        />
      )}
      <FormErrors error={create.error} />
      <button type="submit" className="button primary" disabled={create.isPending}>
        {create.isPending ? 'Creating…' : 'Create inbox'}
      </button>
    </form>
  );
}

function InboxPanel({ inboxId, onDeleted }: { inboxId: number; onDeleted: () => void }) {
  const { accountId } = useAccount();
  const detail = useInboxDetail(accountId, inboxId);
  const remove = useDeleteInbox(accountId);
  if (detail.isPending) return <p className="loading">Loading inbox…</p>;
  if (detail.error) return <FormErrors error={detail.error} />;
  const inbox = detail.data;
  return (
    <div className="settings-panel">
      <h3 id="inbox-panel-title">{inbox.name}</h3>
      <dl className="settings-facts">
        <dt>Channel</dt>
        <dd>{channelLabels[inbox.channelType] ?? inbox.channelType}</dd>
        <dt>Inbox identifier</dt>
        <dd>
          <code>{inbox.identifier}</code>
        </dd>
        {inbox.websiteUrl ? (
          <>
            <dt>Website</dt>
            <dd>{inbox.websiteUrl}</dd>
          </>
        ) : null}
        {inbox.webhookUrl ? (
          <>
            <dt>Callback URL</dt>
            <dd>{inbox.webhookUrl}</dd>
          </>
        ) : null}
        <dt>Created</dt>
        <dd>{formatDate(inbox.createdAt)}</dd>
      </dl>
      {inbox.channelType === 'web_widget' ? <EmbedSnippet inbox={inbox} /> : null}
      {inbox.channelType === 'api' ? (
        <p className="subtle">
          Clients reach this inbox through the client API at{' '}
          <code>/chatwoot/public/api/v1/inboxes/{inbox.identifier}</code>.
        </p>
      ) : null}
      <FormErrors error={remove.error} />
      <ConfirmButton
        label="Delete inbox"
        question={`Delete ${inbox.name} and all its conversations?`}
        pending={remove.isPending}
        onConfirm={() => {
          remove.mutate(inbox.id, { onSuccess: onDeleted });
        }}
      />
    </div>
  );
}

function EmbedSnippet({ inbox }: { inbox: InboxDetail }) {
  const [copied, setCopied] = useState(false);
  const snippet = embedSnippet(window.location.origin, inbox.identifier);
  return (
    <div className="settings-field">
      <label htmlFor="embed-snippet">Embed snippet</label>
      <span id="embed-snippet-hint" className="subtle">
        Paste it before <code>&lt;/body&gt;</code> on every page of your website.
      </span>
      <textarea
        id="embed-snippet"
        className="snippet"
        readOnly
        rows={3}
        value={snippet}
        aria-describedby="embed-snippet-hint"
        onFocus={(event) => {
          event.currentTarget.select();
        }}
      />
      <div>
        <button
          type="button"
          className="button"
          onClick={() => {
            void navigator.clipboard.writeText(snippet).then(() => {
              setCopied(true);
            });
          }}
        >
          Copy snippet
        </button>
        <span role="status" className="subtle">
          {copied ? ' Copied.' : ''}
        </span>
      </div>
    </div>
  );
}
