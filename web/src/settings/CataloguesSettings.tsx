import type { SyntheticEvent } from 'react';
import { useAccount } from '../shell/account-context';
import {
  useCannedResponses,
  useCreateCanned,
  useCreateLabel,
  useCreateTeam,
  useDeleteCanned,
  useDeleteTeam,
  useLabelCatalogue,
  useSetLabelState,
  useTeams,
} from './api';
import { ConfirmButton, Field, FormErrors, fieldErrors, formText } from './forms';
import { SettingsTable } from './SettingsTable';

/** Reads the submitted form, and clears it once the write succeeded. */
function submitted(event: SyntheticEvent<HTMLFormElement>) {
  event.preventDefault();
  const target = event.currentTarget;
  const form = new FormData(target);
  return {
    text: (key: string) => formText(form, key).trim(),
    reset: () => {
      target.reset();
    },
  };
}

export function TeamsSettings() {
  const { accountId } = useAccount();
  const teams = useTeams(accountId);
  const create = useCreateTeam(accountId);
  const remove = useDeleteTeam(accountId);
  function submit(event: SyntheticEvent<HTMLFormElement>) {
    const form = submitted(event);
    create.mutate(
      { name: form.text('name'), description: form.text('description') || undefined },
      { onSuccess: form.reset },
    );
  }
  return (
    <section className="settings-section" aria-labelledby="teams-title">
      <h2 id="teams-title">Teams</h2>
      <p className="subtle">Groups of agents conversations can be handed to.</p>
      <FormErrors error={teams.error ?? remove.error} />
      {teams.data && teams.data.length === 0 ? <p className="subtle">No teams yet.</p> : null}
      {teams.data && teams.data.length > 0 ? (
        <SettingsTable caption="Teams" columns={['Name']}>
          {teams.data.map((team) => (
            <tr key={team.id}>
              <td>{team.name}</td>
              <td className="row-actions">
                <ConfirmButton
                  label={`Delete ${team.name}`}
                  question={`Delete the team ${team.name}? Its conversations keep going without a team.`}
                  pending={remove.isPending}
                  onConfirm={() => {
                    remove.mutate(team.id);
                  }}
                />
              </td>
            </tr>
          ))}
        </SettingsTable>
      ) : null}
      <form className="settings-form" onSubmit={submit} aria-labelledby="new-team-title" noValidate>
        <h3 id="new-team-title">New team</h3>
        <Field label="Team name" name="name" error={create.error} required maxLength={100} />
        <Field
          label="Description"
          name="description"
          error={create.error}
          maxLength={1000}
          hint="Optional."
        />
        <FormErrors error={create.error} />
        <button type="submit" className="button primary" disabled={create.isPending}>
          Create team
        </button>
      </form>
    </section>
  );
}

export function LabelsSettings() {
  const { accountId } = useAccount();
  const labels = useLabelCatalogue(accountId);
  const create = useCreateLabel(accountId);
  const setState = useSetLabelState(accountId);
  function submit(event: SyntheticEvent<HTMLFormElement>) {
    const form = submitted(event);
    create.mutate(
      {
        title: form.text('title'),
        color: form.text('color') || undefined,
        description: form.text('description') || undefined,
      },
      { onSuccess: form.reset },
    );
  }
  return (
    <section className="settings-section" aria-labelledby="labels-title">
      <h2 id="labels-title">Labels</h2>
      <p className="subtle">
        Tags agents put on conversations. A deactivated label stays on the conversations that carry it but can
        no longer be added.
      </p>
      <FormErrors error={labels.error ?? setState.error} />
      {labels.data && labels.data.length === 0 ? <p className="subtle">No labels yet.</p> : null}
      {labels.data && labels.data.length > 0 ? (
        <SettingsTable caption="Labels" columns={['Label', 'Description', 'State']}>
          {labels.data.map((label) => (
            <tr key={label.id}>
              <td>
                <span
                  className="label-swatch"
                  style={{ backgroundColor: label.color ?? undefined }}
                  aria-hidden="true"
                />
                {label.title}
              </td>
              <td>{label.description ?? ''}</td>
              <td>{label.state === 'active' ? 'Active' : 'Inactive'}</td>
              <td className="row-actions">
                {label.state === 'active' ? (
                  <ConfirmButton
                    label={`Deactivate ${label.title}`}
                    question={`Deactivate ${label.title}? Agents can no longer add it.`}
                    pending={setState.isPending}
                    onConfirm={() => {
                      setState.mutate({ id: label.id, state: 'inactive' });
                    }}
                  />
                ) : (
                  <button
                    type="button"
                    className="button"
                    disabled={setState.isPending}
                    onClick={() => {
                      setState.mutate({ id: label.id, state: 'active' });
                    }}
                  >
                    Activate {label.title}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </SettingsTable>
      ) : null}
      <form className="settings-form" onSubmit={submit} aria-labelledby="new-label-title" noValidate>
        <h3 id="new-label-title">New label</h3>
        <Field label="Label title" name="title" error={create.error} required maxLength={255} />
        <Field
          label="Colour"
          name="color"
          error={create.error}
          placeholder="#c2185b"
          hint="Six-digit hex colour, optional."
        />
        <Field
          label="Description"
          name="description"
          error={create.error}
          maxLength={1000}
          hint="Optional."
        />
        <FormErrors error={create.error} />
        <button type="submit" className="button primary" disabled={create.isPending}>
          Create label
        </button>
      </form>
    </section>
  );
}

export function CannedResponsesSettings() {
  const { accountId } = useAccount();
  const canned = useCannedResponses(accountId);
  const create = useCreateCanned(accountId);
  const remove = useDeleteCanned(accountId);
  function submit(event: SyntheticEvent<HTMLFormElement>) {
    const form = submitted(event);
    create.mutate(
      { shortCode: form.text('shortCode'), content: form.text('content') },
      { onSuccess: form.reset },
    );
  }
  return (
    <section className="settings-section" aria-labelledby="canned-title">
      <h2 id="canned-title">Canned responses</h2>
      <p className="subtle">
        Saved replies agents insert by typing <code>/</code> and the short code in the reply box.
      </p>
      <FormErrors error={canned.error ?? remove.error} />
      {canned.data && canned.data.length === 0 ? <p className="subtle">No canned responses yet.</p> : null}
      {canned.data && canned.data.length > 0 ? (
        <SettingsTable caption="Canned responses" columns={['Short code', 'Content']}>
          {canned.data.map((row) => (
            <tr key={row.id}>
              <td>
                <code>/{row.shortCode}</code>
              </td>
              <td className="clamp">{row.content}</td>
              <td className="row-actions">
                <ConfirmButton
                  label={`Delete /${row.shortCode}`}
                  question={`Delete the canned response /${row.shortCode}?`}
                  pending={remove.isPending}
                  onConfirm={() => {
                    remove.mutate(row.id);
                  }}
                />
              </td>
            </tr>
          ))}
        </SettingsTable>
      ) : null}
      <form className="settings-form" onSubmit={submit} aria-labelledby="new-canned-title" noValidate>
        <h3 id="new-canned-title">New canned response</h3>
        <Field label="Short code" name="shortCode" error={create.error} required maxLength={100} />
        <TextAreaField label="Content" name="content" error={create.error} />
        <FormErrors error={create.error} />
        <button type="submit" className="button primary" disabled={create.isPending}>
          Create canned response
        </button>
      </form>
    </section>
  );
}

function TextAreaField({ label, name, error }: { label: string; name: string; error: unknown }) {
  const message = fieldErrorOf(error, name);
  return (
    <div className="settings-field">
      <label htmlFor={`field-${name}`}>{label}</label>
      <textarea
        id={`field-${name}`}
        name={name}
        rows={4}
        required
        aria-invalid={message ? true : undefined}
        aria-describedby={message ? `field-${name}-error` : undefined}
      />
      {message ? (
        <span id={`field-${name}-error`} className="field-error">
          {message}
        </span>
      ) : null}
    </div>
  );
}

function fieldErrorOf(error: unknown, name: string): string | undefined {
  return fieldErrors(error).byField[name];
}
