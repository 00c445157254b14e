import { useId, useState, type ReactNode, type SyntheticEvent } from 'react';
import { useAccount } from '../shell/account-context';
import { FormErrors } from '../settings/forms';
import { dialingModes, retryableOutcomes, useCalendars, useUpdateCampaign, type Campaign } from './api';
import { modeLabels, outcomeLabels } from './format';
import { changesOf, draftOf, errorAt, weekdays, type SettingsDraft } from './settings-form';
import { CampaignFields } from './CampaignFields';

/** Time zones the browser knows, for the time zone field's suggestions. */
const timeZones: readonly string[] = Intl.supportedValuesOf('timeZone');

/** A labelled control with the API's message about its field tied to it. */
function Control({
  label,
  error,
  hint,
  children,
}: {
  label: string;
  error: string | undefined;
  hint?: string;
  children: (props: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string }) => ReactNode;
}) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className="settings-field">
      <label htmlFor={id}>{label}</label>
      {children({
        id,
        ...(error ? { 'aria-invalid': true as const } : {}),
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
      })}
      {hint && (
        <span id={`${id}-hint`} className="subtle">
          {hint}
        </span>
      )}
      {error && (
        <span id={`${id}-error`} className="field-error">
          {error}
        </span>
      )}
    </div>
  );
}

/**
 * The campaign's settings as the native API lets them change: name, mode, calling windows per
 * weekday in a time zone (or a calendar's), holidays, retry rules, recording and the abandonment
 * cap. An archived campaign is read-only until unarchived.
 */
export function CampaignSettings({ campaign }: { campaign: Campaign }) {
  const { accountId } = useAccount();
  const update = useUpdateCampaign(accountId);
  const calendars = useCalendars(accountId).data ?? [];
  const [draft, setDraft] = useState<SettingsDraft>(() => draftOf(campaign));
  const [saved, setSaved] = useState(false);
  const set = (changes: Partial<SettingsDraft>) => {
    setSaved(false);
    setDraft({ ...draft, ...changes });
  };
  const error = update.error;
  const at = (path: string) => errorAt(error, path);

  function submit(event: SyntheticEvent<HTMLFormElement>) {
    event.preventDefault();
    update.mutate(
      { id: campaign.id, changes: changesOf(draft, campaign) },
      { onSuccess: () => setSaved(true) },
    );
  }

  return (
    <section className="settings-section campaign-section" aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      {campaign.isArchived && (
        <p className="subtle">An archived campaign cannot be changed: unarchive it first.</p>
      )}
      <form className="settings-form" onSubmit={submit} aria-labelledby="settings-title" noValidate>
        <fieldset className="plain-fieldset" disabled={campaign.isArchived}>
          <Control label="Campaign name" error={at('name')}>
            {(props) => (
              <input {...props} value={draft.name} onChange={(event) => set({ name: event.target.value })} />
            )}
          </Control>
          <Control label="Dialing mode" error={at('mode')}>
            {(props) => (
              <select
                {...props}
                value={draft.mode}
                onChange={(event) => set({ mode: event.target.value as Campaign['mode'] })}
              >
                {dialingModes.map((mode) => (
                  <option key={mode} value={mode}>
                    {modeLabels[mode]}
                  </option>
                ))}
              </select>
            )}
          </Control>

          <h3>Calling windows</h3>
          <Control
            label="Calendar"
            error={at('calendarId')}
            hint="A calendar's windows and holidays replace the campaign's own below."
          >
            {(props) => (
              <select
                {...props}
                value={draft.calendarId}
                onChange={(event) => set({ calendarId: event.target.value })}
              >
                <option value="">None: the campaign&apos;s own windows</option>
                {calendars.map((calendar) => (
                  <option key={calendar.id} value={String(calendar.id)}>
                    {calendar.name} ({calendar.timezone})
                  </option>
                ))}
              </select>
            )}
          </Control>
          <Control
            label="Time zone"
            error={at('timezone')}
            hint="The windows and holidays are local times there."
          >
            {(props) => (
              <>
                <input
                  {...props}
                  list={`${props.id}-zones`}
                  value={draft.timezone}
                  onChange={(event) => set({ timezone: event.target.value })}
                />
                <datalist id={`${props.id}-zones`}>
                  {timeZones.map((zone) => (
                    <option key={zone} value={zone} />
                  ))}
                </datalist>
              </>
            )}
          </Control>
          <div className="field-grid">
            {weekdays.map(({ day, label }) => (
              <Control key={day} label={label} error={at(`callingWindows.${day}`)}>
                {(props) => (
                  <input
                    {...props}
                    placeholder="Not called"
                    value={draft.windows[day]}
                    onChange={(event) => set({ windows: { ...draft.windows, [day]: event.target.value } })}
                  />
                )}
              </Control>
            ))}
          </div>
          <p className="subtle">Windows as 09:00-12:30, 14:00-18:00; an empty day is never called.</p>
          <Control
            label="Holidays"
            error={at('holidays')}
            hint="Dates never called, e.g. 2026-12-25, 2027-01-01."
          >
            {(props) => (
              <input
                {...props}
                value={draft.holidays}
                onChange={(event) => set({ holidays: event.target.value })}
              />
            )}
          </Control>

          <h3>Retries</h3>
          <div className="field-grid">
            <Control label="Tries per contact" error={at('maxTries')}>
              {(props) => (
                <input
                  {...props}
                  type="number"
                  min={0}
                  value={draft.maxTries}
                  onChange={(event) => set({ maxTries: event.target.value })}
                />
              )}
            </Control>
            <Control label="Minutes before the next try" error={at('nextTryDelay')}>
              {(props) => (
                <input
                  {...props}
                  type="number"
                  min={0}
                  value={draft.delayMinutes}
                  onChange={(event) => set({ delayMinutes: event.target.value })}
                />
              )}
            </Control>
          </div>
          <RetryRules draft={draft} set={set} error={error} />

          <h3>Recording and compliance</h3>
          <label className="check">
            <input
              type="checkbox"
              checked={draft.isRecorded}
              onChange={(event) => set({ isRecorded: event.target.checked })}
            />
            Record calls
          </label>
          <div className="field-grid">
            <Control
              label="Share of calls recorded (%)"
              error={at('recordingPercentage')}
              hint="Empty: every call."
            >
              {(props) => (
                <input
                  {...props}
                  type="number"
                  min={0}
                  max={100}
                  disabled={!draft.isRecorded}
                  value={draft.recordingPercentage}
                  onChange={(event) => set({ recordingPercentage: event.target.value })}
                />
              )}
            </Control>
            <Control
              label="Abandonment cap (%)"
              error={at('maxAbandonRate')}
              hint="Over 30 rolling days; the dialer slows down to stay under it (3 % at most)."
            >
              {(props) => (
                <input
                  {...props}
                  type="number"
                  min={0}
                  max={3}
                  step={0.1}
                  value={draft.maxAbandonPercent}
                  onChange={(event) => set({ maxAbandonPercent: event.target.value })}
                />
              )}
            </Control>
          </div>
          <FormErrors error={error} />
          <div className="settings-row">
            <button type="submit" className="button primary" disabled={update.isPending}>
              Save settings
            </button>
            {saved && <span role="status">Saved</span>}
          </div>
        </fieldset>
      </form>
      <CampaignFields campaign={campaign} />
    </section>
  );
}

/** Per call outcome: tries and delay; empty cells fall back to the campaign's. */
function RetryRules({
  draft,
  set,
  error,
}: {
  draft: SettingsDraft;
  set: (changes: Partial<SettingsDraft>) => void;
  error: unknown;
}) {
  const change = (
    outcome: (typeof retryableOutcomes)[number],
    key: 'maxTries' | 'delayMinutes',
    value: string,
  ) => set({ byOutcome: { ...draft.byOutcome, [outcome]: { ...draft.byOutcome[outcome], [key]: value } } });
  return (
    <table className="settings-table retry-rules">
      <caption>By call outcome (empty: the values above)</caption>
      <thead>
        <tr>
          <th scope="col">Outcome</th>
          <th scope="col">Tries</th>
          <th scope="col">Minutes before the next try</th>
        </tr>
      </thead>
      <tbody>
        {retryableOutcomes.map((outcome) => {
          const problem = errorAt(error, `retryRules.byOutcome.${outcome}`);
          const label = outcomeLabels[outcome] ?? outcome;
          return (
            <tr key={outcome}>
              <th scope="row">
                {label}
                {problem && <span className="field-error cell-note">{problem}</span>}
              </th>
              <td>
                <input
                  type="number"
                  min={0}
                  aria-label={`${label}: tries`}
                  aria-invalid={problem ? true : undefined}
                  value={draft.byOutcome[outcome].maxTries}
                  onChange={(event) => change(outcome, 'maxTries', event.target.value)}
                />
              </td>
              <td>
                <input
                  type="number"
                  min={0}
                  aria-label={`${label}: minutes before the next try`}
                  aria-invalid={problem ? true : undefined}
                  value={draft.byOutcome[outcome].delayMinutes}
                  onChange={(event) => change(outcome, 'delayMinutes', event.target.value)}
                />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
