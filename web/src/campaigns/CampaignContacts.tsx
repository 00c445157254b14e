import { useId, useState, type SyntheticEvent } from 'react';
import { useSearchParams } from 'react-router';
import { useAccount } from '../shell/account-context';
import { Field, FormErrors, formText } from '../settings/forms';
import {
  contactProgresses,
  useAddContact,
  useCampaignContacts,
  useSetExcluded,
  type Campaign,
  type CampaignContact,
} from './api';
import { contactName, exclusionLabels, progressLabels, when, wrapupStatusLabels } from './format';
import { ContactImport } from './ContactImport';
import { LoadMoreButton } from '../shell/LoadMoreButton';

/** The campaign's contacts newest first, by progress (in the URL), with add, exclude and import. */
export function CampaignContacts({ campaign }: { campaign: Campaign }) {
  const { accountId } = useAccount();
  const [params, setParams] = useSearchParams();
  const progressId = useId();
  const progress = contactProgresses.find((value) => value === params.get('progress')) ?? '';
  const list = useCampaignContacts(accountId, campaign.id, progress);
  const setExcluded = useSetExcluded(accountId, campaign.id);
  const contacts = list.data?.pages.flatMap((page) => page.data) ?? [];
  const otherFields = campaign.customFields.filter((field) => !campaign.phoneFields.includes(field));

  return (
    <section className="settings-section campaign-section" aria-labelledby="contacts-title">
      <div className="campaigns-header">
        <h2 id="contacts-title">Contacts</h2>
        <div className="field">
          <label htmlFor={progressId}>Progress</label>
          <select
            id={progressId}
            value={progress}
            onChange={(event) => {
              const next = new URLSearchParams(params);
              if (event.target.value) next.set('progress', event.target.value);
              else next.delete('progress');
              setParams(next, { replace: true });
            }}
          >
            <option value="">All</option>
            {contactProgresses.map((value) => (
              <option key={value} value={value}>
                {progressLabels[value]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <FormErrors error={list.error ?? setExcluded.error} />
      <table className="settings-table">
        <caption className="visually-hidden">Contacts of {campaign.name}</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Contact</th>
            <th scope="col">Phones</th>
            <th scope="col">Progress</th>
            <th scope="col">Tries</th>
            <th scope="col">Next try</th>
            <th scope="col">Last wrap-up</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {contacts.map((contact) => (
            <ContactRow
              key={contact.id}
              contact={contact}
              otherFields={otherFields}
              pending={setExcluded.isPending}
              onExclude={(excluded) => setExcluded.mutate({ id: contact.id, excluded })}
            />
          ))}
          {!list.isPending && contacts.length === 0 && (
            <tr>
              <td colSpan={8}>{progress ? 'No contacts in this state.' : 'No contacts yet.'}</td>
            </tr>
          )}
        </tbody>
      </table>
      <LoadMoreButton pages={list} label="Load more contacts" />
      {!campaign.isArchived && <AddContactForm campaign={campaign} />}
      {!campaign.isArchived && <ContactImport campaign={campaign} />}
    </section>
  );
}

function ContactRow({
  contact,
  otherFields,
  pending,
  onExclude,
}: {
  contact: CampaignContact;
  otherFields: string[];
  pending: boolean;
  onExclude: (excluded: boolean) => void;
}) {
  const name = contactName(contact.customFields);
  const label = name || `contact ${String(contact.contactNumber)}`;
  const details = otherFields
    .map((field) => contact.customFields[field])
    .filter((value) => value && !name.includes(value))
    .join(' · ');
  return (
    <tr>
      <td className="numeric">{contact.contactNumber}</td>
      <th scope="row">
        {name || '—'}
        {details && <span className="subtle cell-note">{details}</span>}
      </th>
      <td>{Object.values(contact.phones).join(', ') || '—'}</td>
      <td>
        {progressLabels[contact.progress]}
        {contact.excludedCause && (
          <span className="subtle cell-note">
            {exclusionLabels[contact.excludedCause] ?? contact.excludedCause}
          </span>
        )}
      </td>
      <td className="numeric">{contact.triesNumber}</td>
      <td>{contact.progress === 'to_call' ? when(contact.retryAt) : '—'}</td>
      <td>{contact.wrapupStatus ? wrapupStatusLabels[contact.wrapupStatus] : '—'}</td>
      <td className="row-actions">
        {contact.progress === 'to_call' && (
          <button type="button" className="button" disabled={pending} onClick={() => onExclude(true)}>
            Exclude {label}
          </button>
        )}
        {contact.excluded && contact.excludedCause === 'manual' && (
          <button type="button" className="button" disabled={pending} onClick={() => onExclude(false)}>
            Include {label}
          </button>
        )}
      </td>
    </tr>
  );
}

/** One contact by hand: a value per campaign field (phone fields first). */
function AddContactForm({ campaign }: { campaign: Campaign }) {
  const { accountId } = useAccount();
  const add = useAddContact(accountId, campaign.id);
  const [added, setAdded] = useState<CampaignContact | null>(null);
  const fields = [
    ...campaign.phoneFields,
    ...campaign.customFields.filter((field) => !campaign.phoneFields.includes(field)),
  ];

  function submit(event: SyntheticEvent<HTMLFormElement>) {
    event.preventDefault();
    const target = event.currentTarget;
    const form = new FormData(target);
    const customFields: Record<string, string> = {};
    for (const field of fields) {
      const value = formText(form, `field:${field}`).trim();
      if (value) customFields[field] = value;
    }
    const priority = formText(form, 'priority').trim();
    setAdded(null);
    add.mutate(
      { customFields, ...(priority && { priority: Number(priority) }) },
      {
        onSuccess: (contact) => {
          setAdded(contact);
          target.reset();
        },
      },
    );
  }

  return (
    <form className="settings-form" onSubmit={submit} aria-labelledby="add-contact-title" noValidate>
      <h3 id="add-contact-title">Add a contact</h3>
      {fields.length === 0 && (
        <p className="subtle">This campaign has no fields yet: add a phone field in its settings first.</p>
      )}
      <div className="field-grid">
        {fields.map((field) => (
          <Field
            key={field}
            label={campaign.phoneFields.includes(field) ? `${field} (phone number)` : field}
            name={`field:${field}`}
            error={add.error}
            type={campaign.phoneFields.includes(field) ? 'tel' : 'text'}
            maxLength={4000}
          />
        ))}
        <Field
          label="Priority"
          name="priority"
          error={add.error}
          type="number"
          hint="Optional; higher is called first (default 10)."
        />
      </div>
      <FormErrors error={add.error} />
      <button type="submit" className="button primary" disabled={add.isPending || fields.length === 0}>
        Add contact
      </button>
      {added && (
        <p role="status">
          Contact #{added.contactNumber} added
          {added.excluded
            ? `, but excluded: ${exclusionLabels[added.excludedCause ?? ''] ?? added.excludedCause ?? ''}.`
            : '.'}
        </p>
      )}
    </form>
  );
}
