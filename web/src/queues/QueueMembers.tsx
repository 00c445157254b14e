import { useId, type SyntheticEvent } from 'react';
import { ConfirmButton, fieldErrors, FormErrors, formText } from '../settings/forms';
import { useAccount } from '../shell/account-context';
import {
  usePresenceList,
  useQueueMembers,
  useRemoveQueueMember,
  useSetQueueMember,
  type QueueMember,
} from './api';
import { PresenceChip } from './PresencePanel';

const nameOf = (person: { name: string; displayName: string | null }) => person.displayName ?? person.name;

/** Who the queue offers to, with each one's priority; add an agent, change a priority, remove one. */
export function QueueMembers({ queueId }: { queueId: number }) {
  const { accountId } = useAccount();
  const members = useQueueMembers(accountId, queueId);
  const setMember = useSetQueueMember(accountId, queueId);
  const remove = useRemoveQueueMember(accountId, queueId);
  return (
    <section className="settings-panel" aria-labelledby="queue-members-title">
      <h2 id="queue-members-title">Members</h2>
      <p className="subtle">
        Priority 1 is offered first by the “by agent priority” algorithms; the others ignore it.
      </p>
      {members.isPending ? <p className="loading">Loading members…</p> : null}
      <FormErrors error={members.error ?? remove.error} />
      {members.data && members.data.length === 0 ? <p className="list-message">No member yet.</p> : null}
      {members.data && members.data.length > 0 ? (
        <table className="settings-table">
          <caption className="visually-hidden">Members of the queue</caption>
          <thead>
            <tr>
              <th scope="col">Agent</th>
              <th scope="col">Presence</th>
              <th scope="col">Priority</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {members.data.map((member) => (
              <tr key={member.userId}>
                <th scope="row">{nameOf(member)}</th>
                <td>
                  <PresenceChip presence={member} />
                </td>
                <td>
                  <PriorityForm
                    member={member}
                    pending={setMember.isPending}
                    error={setMember.variables?.userId === member.userId ? setMember.error : null}
                    onSave={(priority) => {
                      setMember.mutate({ userId: member.userId, priority });
                    }}
                  />
                </td>
                <td className="row-actions">
                  <ConfirmButton
                    label={`Remove ${nameOf(member)}`}
                    question={`Remove ${nameOf(member)} from this queue?`}
                    pending={remove.isPending}
                    onConfirm={() => {
                      remove.mutate(member.userId);
                    }}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <AddMemberForm queueId={queueId} members={members.data ?? []} />
    </section>
  );
}

/** One member's priority: Enter or the button saves it. */
function PriorityForm({
  member,
  pending,
  error,
  onSave,
}: {
  member: QueueMember;
  pending: boolean;
  error: Error | null;
  onSave: (priority: number) => void;
}) {
  const id = useId();
  const message = error ? (fieldErrors(error).byField.priority ?? error.message) : undefined;
  function submit(event: SyntheticEvent<HTMLFormElement>) {
    event.preventDefault();
    onSave(Number(formText(new FormData(event.currentTarget), 'priority')));
  }
  return (
    <form className="settings-row" onSubmit={submit} noValidate>
      <input
        className="priority-input"
        type="number"
        name="priority"
        min={1}
        max={100}
        defaultValue={member.priority}
        aria-label={`Priority of ${nameOf(member)}`}
        aria-invalid={message ? true : undefined}
        aria-describedby={message ? `${id}-error` : undefined}
      />
      <button
        type="submit"
        className="button"
        disabled={pending}
        aria-label={`Save priority of ${nameOf(member)}`}
      >
        Save
      </button>
      {message ? (
        <span id={`${id}-error`} className="field-error">
          {message}
        </span>
      ) : null}
    </form>
  );
}

function AddMemberForm({ queueId, members }: { queueId: number; members: QueueMember[] }) {
  const { accountId } = useAccount();
  const people = usePresenceList(accountId);
  const add = useSetQueueMember(accountId, queueId);
  const id = useId();
  const inQueue = new Set(members.map((member) => member.userId));
  const candidates = (people.data ?? []).filter((person) => !inQueue.has(person.userId));
  const priorityError = fieldErrors(add.error).byField.priority;

  function submit(event: SyntheticEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const userId = Number(formText(form, 'userId'));
    if (!userId) return;
    const target = event.currentTarget;
    add.mutate(
      { userId, priority: Number(formText(form, 'priority') || '1') },
      {
        onSuccess: () => {
          target.reset();
        },
      },
    );
  }

  return (
    <form className="add-member" onSubmit={submit} aria-labelledby={`${id}-title`} noValidate>
      <h3 id={`${id}-title`}>Add a member</h3>
      <div className="settings-row">
        <label htmlFor={`${id}-agent`}>Agent</label>
        <select id={`${id}-agent`} name="userId" disabled={candidates.length === 0}>
          {candidates.length === 0 ? <option value="">Everyone is a member</option> : null}
          {candidates.map((person) => (
            <option key={person.userId} value={person.userId}>
              {nameOf(person)} ({person.email})
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-priority`}>Priority</label>
        <input
          id={`${id}-priority`}
          className="priority-input"
          type="number"
          name="priority"
          min={1}
          max={100}
          defaultValue={1}
          aria-invalid={priorityError ? true : undefined}
          aria-describedby={priorityError ? `${id}-priority-error` : undefined}
        />
        <button type="submit" className="button primary" disabled={add.isPending || candidates.length === 0}>
          Add to queue
        </button>
      </div>
      {priorityError ? (
        <span id={`${id}-priority-error`} className="field-error">
          {priorityError}
        </span>
      ) : null}
      <FormErrors error={add.error} />
    </form>
  );
}
