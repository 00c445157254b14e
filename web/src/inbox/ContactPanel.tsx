import { Link } from 'react-router';
import { useContact } from '../api/inbox';
import type { Conversation } from '../api/types';
import { contactName, initials, shortTime } from './format';

function attributeText(value: unknown): string {
  if (typeof value === 'string') return value;
  return value === undefined ? '' : JSON.stringify(value);
}

/** Who the conversation is with, their details and their other conversations. */
export function ContactPanel({ accountId, conversation }: { accountId: number; conversation: Conversation }) {
  const contact = useContact(accountId, conversation.contact.id);
  const summary = conversation.contact;
  const name = contactName(summary);
  const others = (contact.data?.conversations ?? []).filter((other) => other.id !== conversation.id);
  const attributes = Object.entries(contact.data?.customAttributes ?? {});

  return (
    <aside className="contact-panel" aria-labelledby="contact-title">
      <div className="contact-head">
        {summary.avatarUrl ? (
          <img className="avatar" src={summary.avatarUrl} alt="" />
        ) : (
          <span className="avatar" aria-hidden="true">
            {initials(name)}
          </span>
        )}
        <h2 id="contact-title">{name}</h2>
      </div>
      <dl className="details">
        {summary.email && (
          <div className="details-row">
            <dt>Email</dt>
            <dd>
              <a href={`mailto:${summary.email}`}>{summary.email}</a>
            </dd>
          </div>
        )}
        {summary.phoneNumber && (
          <div className="details-row">
            <dt>Phone</dt>
            <dd>{summary.phoneNumber}</dd>
          </div>
        )}
        {contact.data?.identifier && (
          <div className="details-row">
            <dt>Identifier</dt>
            <dd>{contact.data.identifier}</dd>
          </div>
        )}
        {attributes.map(([key, value]) => (
          <div key={key} className="details-row">
            <dt>{key}</dt>
            <dd>{attributeText(value)}</dd>
          </div>
        ))}
      </dl>
      {contact.data && contact.data.labels.length > 0 && (
        <ul className="chips" aria-label="Contact labels">
          {contact.data.labels.map((label) => (
            <li key={label} className="chip">
              {label}
            </li>
          ))}
        </ul>
      )}
      <h3>Other conversations</h3>
      {contact.isPending && <p className="subtle">Loading…</p>}
      {contact.isError && <p className="subtle">Not available: {contact.error.message}</p>}
      {contact.data && others.length === 0 && <p className="subtle">None.</p>}
      <ul className="other-conversations">
        {others.map((other) => (
          <li key={other.id}>
            <Link to={`/accounts/${String(accountId)}/inbox/${String(other.id)}`}>
              #{other.displayId} · {other.inbox.name}
            </Link>{' '}
            <span className="subtle">
              {other.status} · {shortTime(other.lastActivityAt)}
            </span>
          </li>
        ))}
      </ul>
    </aside>
  );
}
