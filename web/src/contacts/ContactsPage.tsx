import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useLabels } from '../api/inbox';
import { useAccount } from '../shell/account-context';
import { useContactList } from './api';
import './contacts.css';
import { LoadMoreButton } from '../shell/LoadMoreButton';

/** Contacts: search (name, email, phone, identifier), a label filter, newest first, page by page. */
export default function ContactsPage() {
  const { accountId } = useAccount();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const label = params.get('label') ?? '';
  const [draft, setDraft] = useState(q);
  const labels = useLabels(accountId).data ?? [];
  const list = useContactList(accountId, { q, label });
  const contacts = list.data?.pages.flatMap((page) => page.data) ?? [];

  useEffect(() => {
    document.title = 'Contacts · Parley';
  }, []);

  const set = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };

  return (
    <div className="contacts-page">
      <header className="contacts-header">
        <h1>Contacts</h1>
        <form
          role="search"
          className="contacts-filters"
          onSubmit={(event) => {
            event.preventDefault();
            set('q', draft.trim());
          }}
        >
          <label className="field">
            <span>Search</span>
            <input
              type="search"
              value={draft}
              placeholder="Name, email, phone…"
              onChange={(event) => setDraft(event.target.value)}
            />
          </label>
          <label className="field">
            <span>Label</span>
            <select value={label} onChange={(event) => set('label', event.target.value)}>
              <option value="">Any</option>
              {labels.map((entry) => (
                <option key={entry.id} value={entry.title}>
                  {entry.title}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="button">
            Search
          </button>
        </form>
      </header>
      {list.error && <p role="alert">The contacts could not be loaded: {list.error.message}</p>}
      <table className="contacts-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Phone</th>
            <th scope="col">Labels</th>
          </tr>
        </thead>
        <tbody>
          {contacts.map((contact) => (
            <tr key={contact.id}>
              <th scope="row">
                <Link to={`/accounts/${String(accountId)}/contacts/${String(contact.id)}`}>
                  {contact.name ?? contact.email ?? '(no name)'}
                </Link>
              </th>
              <td>{contact.email ?? ''}</td>
              <td>{contact.phoneNumber ?? ''}</td>
              <td>{contact.labels.join(', ')}</td>
            </tr>
          ))}
          {!list.isPending && contacts.length === 0 && (
            <tr>
              <td colSpan={4}>No contacts match.</td>
            </tr>
          )}
        </tbody>
      </table>
      <LoadMoreButton pages={list} label="Load more" />
    </div>
  );
}
