import { useAccount } from '../shell/account-context';
import { useMembers } from './api';

/**
 * The account's agents as checkboxes named `userIds`, the given ones ticked: who works a team,
 * who answers an inbox. The form sends the ticked ones, which replace the members.
 */
export function MemberChecklist({ legend, selected }: { legend: string; selected: readonly number[] }) {
  const { accountId } = useAccount();
  const members = useMembers(accountId);
  const isSelected = new Set(selected);
  return (
    <fieldset className="settings-events">
      <legend>{legend}</legend>
      {members.isPending ? <span className="loading">Loading agents…</span> : null}
      <div className="settings-event-grid">
        {(members.data ?? []).map((member) => (
          <label key={member.userId} className="check">
            <input
              type="checkbox"
              name="userIds"
              value={member.userId}
              defaultChecked={isSelected.has(member.userId)}
            />
            {member.displayName ?? member.name}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
