import { useState, type SyntheticEvent } from 'react';
import { useAccount } from '../shell/account-context';
import { Field, FormErrors, formText } from '../settings/forms';
import { useAddFields, type Campaign } from './api';

/** The fields every contact of the campaign carries; phone fields are the ones dialled. Fields are only added. */
export function CampaignFields({ campaign }: { campaign: Campaign }) {
  const { accountId } = useAccount();
  const add = useAddFields(accountId);
  const [isPhone, setIsPhone] = useState(false);
  const others = campaign.customFields.filter((field) => !campaign.phoneFields.includes(field));

  function submit(event: SyntheticEvent<HTMLFormElement>) {
    event.preventDefault();
    const target = event.currentTarget;
    const name = formText(new FormData(target), 'name').trim();
    add.mutate(
      { id: campaign.id, name, isPhoneNumber: isPhone },
      {
        onSuccess: () => {
          target.reset();
          setIsPhone(false);
        },
      },
    );
  }

  return (
    <section className="settings-panel" aria-labelledby="fields-title">
      <h3 id="fields-title">Contact fields</h3>
      <dl className="settings-facts">
        <dt>Phone fields</dt>
        <dd>{campaign.phoneFields.join(', ') || 'None: no contact can be dialled yet'}</dd>
        <dt>Other fields</dt>
        <dd>{others.join(', ') || 'None'}</dd>
      </dl>
      {!campaign.isArchived && (
        <form className="inline-fields" onSubmit={submit} aria-labelledby="new-field-title" noValidate>
          <h4 id="new-field-title" className="visually-hidden">
            New field
          </h4>
          <Field label="New field name" name="name" error={add.error} required maxLength={64} />
          <label className="check">
            <input type="checkbox" checked={isPhone} onChange={(event) => setIsPhone(event.target.checked)} />
            Phone field
          </label>
          <button type="submit" className="button" disabled={add.isPending}>
            Add field
          </button>
          <FormErrors error={add.error} />
        </form>
      )}
    </section>
  );
}
