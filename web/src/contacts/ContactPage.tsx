import { useEffect, useState, type SyntheticEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError } from '../api/client';
import { useContact, useLabels } from '../api/inbox';
import type { Contact } from '../api/types';
import { useAccount } from '../shell/account-context';
import { useContactList, useMergeContact, useUpdateContact } from './api';
import './contacts.css';

const orNull = (value: string) => (value.trim() === '' ? null : value.trim());

function errorText(error: Error | null): string | null {
  if (!error) return null;
  if (error instanceof ApiError && error.details.length > 0) {
    return error.details.map((detail) => `${detail.path}: ${detail.message}`).join('; ');
  }
  return error.message;
}

/** A contact's page: details, custom attributes, labels, conversations, and merging a duplicate in. */
export default function ContactPage() {
  const { accountId } = useAccount();
  const contactId = Number(useParams().contactId);
  const contact = useContact(accountId, contactId);

  useEffect(() => {
    if (contact.data) document.title = `${contact.data.name ?? 'Contact'} · Contacts · Parley`;
  }, [contact.data]);

  if (contact.error) {
    return (
      <div className="contacts-page">
        <p role="alert">This contact could not be loaded: {contact.error.message}</p>
        <Link to={`/accounts/${String(accountId)}/contacts`}>Back to contacts</Link>
      </div>
    );
  }
  if (!contact.data) return <div className="contacts-page">Loading…</div>;
  return <ContactDetails key={contact.data.id} accountId={accountId} contact={contact.data} />;
}

function ContactDetails({ accountId, contact }: { accountId: number; contact: Contact }) {
  const update = useUpdateContact(accountId, contact.id);
  const [fields, setFields] = useState({
    name: contact.name ?? '',
    email: contact.email ?? '',
    phoneNumber: contact.phoneNumber ?? '',
    identifier: contact.identifier ?? '',
  });
  const [saved, setSaved] = useState(false);

  const save = (event: SyntheticEvent) => {
    event.preventDefault();
    setSaved(false);
    update.mutate(
      {
        name: fields.name.trim(),
        email: orNull(fields.email),
        phoneNumber: orNull(fields.phoneNumber),
        identifier: orNull(fields.identifier),
      },
      { onSuccess: () => setSaved(true) },
    );
  };
  const field = (name: keyof typeof fields, label: string, type = 'text') => (
    <label className="field">
      <span>{label}</span>
      <input
        type={type}
        value={fields[name]}
        onChange={(event) => setFields({ ...fields, [name]: event.target.value })}
      />
    </label>
  );

  return (
    <div className="contacts-page contact-page">
      <nav aria-label="Breadcrumb">
        <Link to={`/accounts/${String(accountId)}/contacts`}>Contacts</Link>
      </nav>
      <h1>{contact.name ?? contact.email ?? 'Contact'}</h1>
      <div className="contact-grid">
        <section className="card" aria-labelledby="details-title">
          <h2 id="details-title">Details</h2>
          <form className="contact-form" onSubmit={save}>
            {field('name', 'Name')}
            {field('email', 'Email', 'email')}
            {field('phoneNumber', 'Phone (E.164, e.g. +33612345678)', 'tel')}
            {field('identifier', 'Identifier')}
            <div className="form-actions">
              <button type="submit" className="button primary" disabled={update.isPending}>
                Save
              </button>
              {saved && <span role="status">Saved</span>}
            </div>
            {update.error && <p role="alert">{errorText(update.error)}</p>}
          </form>
        </section>
        <CustomAttributes accountId={accountId} contact={contact} />
        <Labels accountId={accountId} contact={contact} />
        <section className="card" aria-labelledby="conversations-title">
          <h2 id="conversations-title">Conversations</h2>
          <ul className="plain-list">
            {(contact.conversations ?? []).map((conversation) => (
              <li key={conversation.id}>
                <Link to={`/accounts/${String(accountId)}/inbox/${String(conversation.id)}`}>
                  #{conversation.displayId} · {conversation.inbox.name} · {conversation.status}
                </Link>
              </li>
            ))}
            {(contact.conversations ?? []).length === 0 && <li>No conversations.</li>}
          </ul>
        </section>
        <Merge accountId={accountId} contact={contact} />
      </div>
    </div>
  );
}

function CustomAttributes({ accountId, contact }: { accountId: number; contact: Contact }) {
  const update = useUpdateContact(accountId, contact.id);
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const entries = Object.entries(contact.customAttributes);

  const add = (event: SyntheticEvent) => {
    event.preventDefault();
    if (key.trim() === '') return;
    update.mutate(
      { customAttributes: { [key.trim()]: value } },
      {
        onSuccess: () => {
          setKey('');
          setValue('');
        },
      },
    );
  };

  return (
    <section className="card" aria-labelledby="attributes-title">
      <h2 id="attributes-title">Custom attributes</h2>
      <dl className="attribute-list">
        {entries.map(([name, stored]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd>{typeof stored === 'string' ? stored : JSON.stringify(stored)}</dd>
          </div>
        ))}
        {entries.length === 0 && <p>None yet.</p>}
      </dl>
      <form className="inline-form" onSubmit={add} aria-label="Set a custom attribute">
        <label className="field">
          <span>Attribute</span>
          <input value={key} onChange={(event) => setKey(event.target.value)} />
        </label>
        <label className="field">
          <span>Value</span>
          <input value={value} onChange={(event) => setValue(event.target.value)} />
        </label>
        <button type="submit" className="button" disabled={update.isPending}>
          Set
        </button>
      </form>
      {update.error && <p role="alert">{errorText(update.error)}</p>}
    </section>
  );
}

function Labels({ accountId, contact }: { accountId: number; contact: Contact }) {
  const update = useUpdateContact(accountId, contact.id);
  const catalogue = useLabels(accountId).data ?? [];
  // The choice shows at once: a controlled checkbox would otherwise flip back until the answer.
  const [pending, setPending] = useState<string[] | null>(null);
  const current = new Set(pending ?? contact.labels);
  const names = [...new Set([...catalogue.map((label) => label.title), ...contact.labels])].sort();

  const toggle = (name: string, on: boolean) => {
    const next = new Set(current);
    if (on) next.add(name);
    else next.delete(name);
    setPending([...next]);
    update.mutate({ labels: [...next] }, { onSettled: () => setPending(null) });
  };

  return (
    <section className="card" aria-labelledby="labels-title">
      <h2 id="labels-title">Labels</h2>
      <fieldset className="label-choices" disabled={update.isPending}>
        <legend className="visually-hidden">Labels of this contact</legend>
        {names.map((name) => (
          <label key={name} className="check">
            <input
              type="checkbox"
              checked={current.has(name)}
              onChange={(event) => toggle(name, event.target.checked)}
            />
            {name}
          </label>
        ))}
        {names.length === 0 && <p>No labels in this account yet.</p>}
      </fieldset>
      {update.error && <p role="alert">{errorText(update.error)}</p>}
    </section>
  );
}

function Merge({ accountId, contact }: { accountId: number; contact: Contact }) {
  const merge = useMergeContact(accountId, contact.id);
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const matches = useContactList(accountId, { q: search, label: '' });
  const candidates = search
    ? (matches.data?.pages[0]?.data ?? []).filter((other) => other.id !== contact.id).slice(0, 5)
    : [];

  const mergeIn = (other: Contact) => {
    const question = `Merge “${other.name ?? 'the other contact'}” into “${contact.name ?? 'this contact'}”? Its conversations move here and it is deleted.`;
    if (!window.confirm(question)) return;
    merge.mutate(other.id, {
      onSuccess: () => void navigate(`/accounts/${String(accountId)}/contacts/${String(contact.id)}`),
    });
  };

  return (
    <section className="card" aria-labelledby="merge-title">
      <h2 id="merge-title">Merge a duplicate</h2>
      <form
        className="inline-form"
        role="search"
        aria-label="Find the duplicate"
        onSubmit={(event) => {
          event.preventDefault();
          setSearch(q.trim());
        }}
      >
        <label className="field">
          <span>Find a contact</span>
          <input type="search" value={q} onChange={(event) => setQ(event.target.value)} />
        </label>
        <button type="submit" className="button">
          Find
        </button>
      </form>
      <ul className="plain-list">
        {candidates.map((other) => (
          <li key={other.id} className="merge-candidate">
            <span>
              {other.name} {other.email ? `· ${other.email}` : ''}
            </span>
            <button
              type="button"
              className="button"
              onClick={() => mergeIn(other)}
              disabled={merge.isPending}
            >
              Merge into this contact
            </button>
          </li>
        ))}
        {search && !matches.isPending && candidates.length === 0 && <li>No other contact matches.</li>}
      </ul>
      {merge.error && <p role="alert">{errorText(merge.error)}</p>}
    </section>
  );
}
