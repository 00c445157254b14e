import { useId, useRef, useState } from 'react';
import { useAccount } from '../shell/account-context';
import {
  useCreateInbox,
  useDeleteInbox,
  useInboxDetail,
  useInboxes,
  useInboxMembers,
  useUpdateInbox,
  type InboxDetail,
  type NewInbox,
} from './api';
import { ConfirmButton, Field, FormErrors, formatDate, TextAreaField } from './forms';
import { MutationForm } from './MutationForm';
import { MemberChecklist } from './MemberChecklist';
import { ListStatus, SettingsSection } from './SettingsSection';
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
    <SettingsSection title="Inboxes" intro="The channels conversations arrive on.">
      <ListStatus list={inboxes} what="inboxes" />
      <SettingsTable
        caption="Inboxes"
        columns={[
          { heading: 'Name', cell: (inbox) => inbox.name },
          { heading: 'Channel', cell: (inbox) => channelLabels[inbox.channelType] ?? inbox.channelType },
        ]}
        rows={inboxes.data}
        rowKey={(inbox) => inbox.id}
        current={selected}
        actions={(inbox) => (
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
        )}
      />
      {selected !== null ? (
        <InboxPanel
          key={selected}
          inboxId={selected}
          onDeleted={() => {
            setSelected(null);
          }}
        />
      ) : null}
      <CreateInboxForm onCreated={setSelected} />
    </SettingsSection>
  );
}

/** The channels an administrator creates here; the others need provider credentials (their own APIs). */
const creatableChannels = [
  ['web_widget', 'Web widget (chat on your website)'],
  ['api', 'API (your own client posts messages)'],
] as const;
type CreatableChannel = (typeof creatableChannels)[number][0];

function CreateInboxForm({ onCreated }: { onCreated: (id: number) => void }) {
  const { accountId } = useAccount();
  const create = useCreateInbox(accountId);
  const [channelType, setChannelType] = useState<CreatableChannel>('web_widget');

  return (
    <MutationForm
      title="New inbox"
      submitLabel="Create inbox"
      pendingLabel="Creating…"
      write={create}
      read={(form): NewInbox => {
        const optional = (key: string) => form.text(key) || undefined;
        return channelType === 'web_widget'
          ? {
              channelType,
              name: form.text('name'),
              websiteUrl: optional('websiteUrl'),
              widgetColor: optional('widgetColor'),
            }
          : { channelType, name: form.text('name'), webhookUrl: optional('webhookUrl') };
      }}
      onSaved={(inbox) => {
        onCreated(inbox.id);
      }}
    >
      <fieldset className="settings-choice">
        <legend>Channel</legend>
        {creatableChannels.map(([value, label]) => (
          <label key={value} className="check">
            <input
              type="radio"
              name="channelType"
              value={value}
              checked={channelType === value}
              onChange={() => {
                setChannelType(value);
              }}
            />
            {label}
          </label>
        ))}
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
    </MutationForm>
  );
}

function InboxPanel({ inboxId, onDeleted }: { inboxId: number; onDeleted: () => void }) {
  const { accountId } = useAccount();
  const detail = useInboxDetail(accountId, inboxId);
  const remove = useDeleteInbox(accountId);
  const [isEditing, setEditing] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  if (detail.isPending) return <p className="loading">Loading inbox…</p>;
  if (detail.error) return <FormErrors error={detail.error} />;
  const inbox = detail.data;
  if (isEditing) {
    return (
      <EditInboxForm
        key={inbox.id}
        inbox={inbox}
        onClose={() => {
          setEditing(false);
          window.requestAnimationFrame(() => editButton.current?.focus());
        }}
      />
    );
  }
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
        <dt>Greeting</dt>
        <dd>{inbox.greetingEnabled ? (inbox.greetingMessage ?? '') : 'Off'}</dd>
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
      <div className="settings-row">
        <button
          ref={editButton}
          type="button"
          className="button"
          onClick={() => {
            setEditing(true);
          }}
        >
          Edit inbox
        </button>
        <ConfirmButton
          label="Delete inbox"
          question={`Delete ${inbox.name} and all its conversations?`}
          pending={remove.isPending}
          onConfirm={() => {
            remove.mutate(inbox.id, { onSuccess: onDeleted });
          }}
        />
      </div>
    </div>
  );
}

/** Name, greeting and the agents who answer the inbox (agents see only the inboxes they answer). */
function EditInboxForm({ inbox, onClose }: { inbox: InboxDetail; onClose: () => void }) {
  const { accountId } = useAccount();
  const members = useInboxMembers(accountId, inbox.id);
  const update = useUpdateInbox(accountId, inbox.id);
  const greetingId = useId();
  if (members.isPending) return <p className="loading">Loading the agents…</p>;
  if (members.isError) return <FormErrors error={members.error} />;
  return (
    <MutationForm
      title={`Edit ${inbox.name}`}
      submitLabel="Save inbox"
      write={update}
      read={(form) => ({
        name: form.text('name'),
        greetingEnabled: form.isChecked('greetingEnabled'),
        greetingMessage: form.textOrNull('greetingMessage'),
        userIds: form.ids('userIds'),
      })}
      onClose={onClose}
    >
      <Field
        label="Inbox name"
        name="name"
        error={update.error}
        required
        maxLength={100}
        defaultValue={inbox.name}
        autoFocus
      />
      <label className="check" htmlFor={greetingId}>
        <input
          id={greetingId}
          type="checkbox"
          name="greetingEnabled"
          defaultChecked={inbox.greetingEnabled}
        />
        Greet contacts who start a conversation
      </label>
      <TextAreaField
        label="Greeting message"
        name="greetingMessage"
        error={update.error}
        maxLength={2000}
        defaultValue={inbox.greetingMessage ?? ''}
      />
      <MemberChecklist legend="Agents who answer this inbox" selected={members.data.userIds} />
    </MutationForm>
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
