import { useAccount } from '../shell/account-context';
import { ConfirmButton, FormErrors } from '../settings/forms';
import { useSetRunning, useUpdateCampaign, type Campaign } from './api';
import { campaignState } from './format';

/**
 * What a campaign's state allows: a running one pauses; a paused one resumes or is archived (the
 * core archives only paused campaigns); an archived one is unarchived (it comes back paused).
 */
export function CampaignActions({ campaign }: { campaign: Campaign }) {
  const { accountId } = useAccount();
  const running = useSetRunning(accountId);
  const update = useUpdateCampaign(accountId);
  const state = campaignState(campaign);
  const pending = running.isPending || update.isPending;
  return (
    <div className="campaign-actions">
      {state === 'running' && (
        <button
          type="button"
          className="button"
          disabled={pending}
          onClick={() => running.mutate({ id: campaign.id, isRunning: false })}
        >
          Pause {campaign.name}
        </button>
      )}
      {state === 'paused' && (
        <>
          <button
            type="button"
            className="button primary"
            disabled={pending}
            onClick={() => running.mutate({ id: campaign.id, isRunning: true })}
          >
            Resume {campaign.name}
          </button>
          <ConfirmButton
            label={`Archive ${campaign.name}`}
            question={`Archive ${campaign.name}? It can no longer be changed or played until it is unarchived.`}
            pending={pending}
            onConfirm={() => update.mutate({ id: campaign.id, changes: { isArchived: true } })}
          />
        </>
      )}
      {state === 'archived' && (
        <button
          type="button"
          className="button"
          disabled={pending}
          onClick={() => update.mutate({ id: campaign.id, changes: { isArchived: false } })}
        >
          Unarchive {campaign.name}
        </button>
      )}
      <FormErrors error={running.error ?? update.error} />
    </div>
  );
}
