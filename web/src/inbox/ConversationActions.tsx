import { useState } from 'react';
import { useLabels, useMembers, useTeams, useUpdateConversation } from '../api/inbox';
import type { Conversation, ConversationPatch, Priority } from '../api/types';
import { useAccount } from '../shell/account-context';

const priorities: Priority[] = ['urgent', 'high', 'medium', 'low'];

function snoozeUntil(choice: string): string {
  const date = new Date();
  if (choice === 'hour') date.setHours(date.getHours() + 1);
  if (choice === 'tomorrow') {
    date.setDate(date.getDate() + 1);
    date.setHours(9, 0, 0, 0);
  }
  if (choice === 'week') {
    date.setDate(date.getDate() + ((8 - date.getDay()) % 7 || 7));
    date.setHours(9, 0, 0, 0);
  }
  return date.toISOString();
}

/** Status, assignment, team, priority and labels: each change is one PATCH. */
export function ConversationActions({
  accountId,
  conversation,
}: {
  accountId: number;
  conversation: Conversation;
}) {
  const { userId } = useAccount();
  const update = useUpdateConversation(accountId, conversation.id);
  const members = useMembers(accountId).data ?? [];
  const teams = useTeams(accountId).data ?? [];
  // While changes are on their way the controls show them. Set in the event handler itself: a
  // controlled checkbox reverts at once if its new state only arrives a tick later.
  const [pending, setPending] = useState<ConversationPatch>({});
  const patch = (changes: ConversationPatch) => {
    setPending((current) => ({ ...current, ...changes }));
    update.mutate(changes, { onSettled: () => setPending({}) });
  };
  const assigneeId =
    pending.assigneeId !== undefined ? pending.assigneeId : (conversation.assignee?.id ?? null);
  const teamId = pending.teamId !== undefined ? pending.teamId : (conversation.team?.id ?? null);
  const priority = pending.priority !== undefined ? pending.priority : conversation.priority;
  const labels = pending.labels ?? conversation.labels;
  const isClosed = conversation.status === 'resolved' || conversation.status === 'snoozed';

  return (
    <div className="conversation-actions" role="group" aria-label="Conversation actions">
      <div className="action-row">
        {isClosed ? (
          <button type="button" className="button primary" onClick={() => patch({ status: 'open' })}>
            Reopen
          </button>
        ) : (
          <button type="button" className="button primary" onClick={() => patch({ status: 'resolved' })}>
            Resolve
          </button>
        )}
        <label className="compact-field">
          <span className="visually-hidden">Snooze</span>
          <select
            value=""
            onChange={(event) => {
              if (event.target.value)
                patch({ status: 'snoozed', snoozedUntil: snoozeUntil(event.target.value) });
            }}
          >
            <option value="">Snooze…</option>
            <option value="hour">For an hour</option>
            <option value="tomorrow">Until tomorrow</option>
            <option value="week">Until next week</option>
          </select>
        </label>
      </div>
      <div className="action-row">
        <label className="compact-field">
          <span>Assignee</span>
          <select
            value={assigneeId ?? ''}
            onChange={(event) =>
              patch({ assigneeId: event.target.value ? Number(event.target.value) : null })
            }
          >
            <option value="">Nobody</option>
            {members.map((member) => (
              <option key={member.userId} value={member.userId}>
                {member.displayName ?? member.name}
                {member.userId === userId ? ' (me)' : ''}
              </option>
            ))}
          </select>
        </label>
        <label className="compact-field">
          <span>Team</span>
          <select
            value={teamId ?? ''}
            onChange={(event) => patch({ teamId: event.target.value ? Number(event.target.value) : null })}
          >
            <option value="">None</option>
            {teams.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </select>
        </label>
        <label className="compact-field">
          <span>Priority</span>
          <select
            value={priority ?? ''}
            onChange={(event) => patch({ priority: (event.target.value || null) as Priority | null })}
          >
            <option value="">None</option>
            {priorities.map((priority) => (
              <option key={priority} value={priority}>
                {priority}
              </option>
            ))}
          </select>
        </label>
        <LabelPicker accountId={accountId} labels={labels} onChange={(next) => patch({ labels: next })} />
      </div>
      {update.isError && (
        <p className="form-error" role="alert">
          {update.error.message}
        </p>
      )}
    </div>
  );
}

function LabelPicker(props: { accountId: number; labels: string[]; onChange: (labels: string[]) => void }) {
  const catalogue = useLabels(props.accountId).data ?? [];
  const current = new Set(props.labels);
  const toggle = (title: string, on: boolean) => {
    const next = new Set(current);
    if (on) next.add(title);
    else next.delete(title);
    props.onChange([...next]);
  };
  return (
    <details className="label-picker">
      <summary>Labels{current.size > 0 ? ` (${String(current.size)})` : ''}</summary>
      <fieldset>
        <legend className="visually-hidden">Conversation labels</legend>
        {catalogue.length === 0 && <p className="subtle">No labels in this account yet.</p>}
        {catalogue.map((label) => (
          <label key={label.id} className="check">
            <input
              type="checkbox"
              checked={current.has(label.title)}
              onChange={(event) => toggle(label.title, event.target.checked)}
            />
            <span className="label-dot" style={{ backgroundColor: label.color }} aria-hidden="true" />
            {label.title}
          </label>
        ))}
      </fieldset>
    </details>
  );
}
