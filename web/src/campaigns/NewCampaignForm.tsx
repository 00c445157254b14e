import { useId, type SyntheticEvent } from 'react';
import { useNavigate } from 'react-router';
import { useAccount } from '../shell/account-context';
import { Field, FormErrors, formText } from '../settings/forms';
import { dialingModes, useCreateCampaign, type DialingMode } from './api';
import { modeLabels } from './format';

/** "phone, mobile" → ["phone", "mobile"]. */
export const fieldNames = (text: string): string[] =>
  text
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);

/** A new campaign: a name, a dialing mode and the fields its contacts carry. It starts paused. */
export function NewCampaignForm() {
  const { accountId } = useAccount();
  const create = useCreateCampaign(accountId);
  const navigate = useNavigate();
  const modeId = useId();

  function submit(event: SyntheticEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    create.mutate(
      {
        name: formText(form, 'name').trim(),
        mode: formText(form, 'mode') as DialingMode,
        phoneFields: fieldNames(formText(form, 'phoneFields')),
        customFields: fieldNames(formText(form, 'customFields')),
      },
      {
        onSuccess: (campaign) =>
          void navigate(`/accounts/${String(accountId)}/campaigns/${String(campaign.id)}/contacts`),
      },
    );
  }

  return (
    <form className="settings-form" onSubmit={submit} aria-labelledby="new-campaign-title" noValidate>
      <h2 id="new-campaign-title">New campaign</h2>
      <p className="subtle">A new campaign starts paused: add contacts, then resume it to start dialling.</p>
      <Field label="Campaign name" name="name" error={create.error} required maxLength={200} />
      <div className="settings-field">
        <label htmlFor={modeId}>Dialing mode</label>
        <select id={modeId} name="mode" defaultValue="progressive">
          {dialingModes.map((mode) => (
            <option key={mode} value={mode}>
              {modeLabels[mode]}
            </option>
          ))}
        </select>
      </div>
      <Field
        label="Phone fields"
        name="phoneFields"
        error={create.error}
        defaultValue="phone"
        hint="The contact fields that hold numbers to dial, separated by commas."
      />
      <Field
        label="Other fields"
        name="customFields"
        error={create.error}
        defaultValue="firstName, lastName"
        hint="Other contact fields, separated by commas (firstName and lastName name the contact)."
      />
      <FormErrors error={create.error} />
      <button type="submit" className="button primary" disabled={create.isPending}>
        Create campaign
      </button>
    </form>
  );
}
