import { useEffect, useId } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useAccount } from '../shell/account-context';
import { FormErrors } from '../settings/forms';
import { useCampaignList, useCampaignStats, type Campaign, type CampaignStats } from './api';
import { abandonmentOf, campaignState, count, modeLabels, stateLabels, type CampaignState } from './format';
import { CampaignActions } from './CampaignActions';
import { NewCampaignForm } from './NewCampaignForm';
import { LoadMoreButton } from '../shell/LoadMoreButton';

const filters = [
  { value: 'active', label: 'Running and paused' },
  { value: 'running', label: 'Running' },
  { value: 'paused', label: 'Paused' },
  { value: 'archived', label: 'Archived' },
  { value: 'all', label: 'All' },
] as const;
type Filter = (typeof filters)[number]['value'];

function isShown(filter: Filter, state: CampaignState): boolean {
  if (filter === 'all') return true;
  if (filter === 'active') return state !== 'archived';
  return filter === state;
}

/**
 * The account's outbound campaigns with their figures (contacts, still to call, calls today,
 * abandonment against the cap), play / pause / archive, and a form for a new one.
 */
export function CampaignsListPage() {
  const { accountId } = useAccount();
  const [params, setParams] = useSearchParams();
  const showId = useId();
  const filter = filters.find((entry) => entry.value === params.get('show'))?.value ?? 'active';
  const list = useCampaignList(accountId);
  const campaigns = (list.data?.pages.flatMap((page) => page.data) ?? []).filter((campaign) =>
    isShown(filter, campaignState(campaign)),
  );
  // The stats route takes up to 200 ids at once.
  const stats = useCampaignStats(
    accountId,
    campaigns.slice(0, 200).map((campaign) => campaign.id),
  );

  useEffect(() => {
    document.title = 'Campaigns · Parley';
  }, []);

  return (
    <div className="campaigns-page">
      <header className="campaigns-header">
        <h1>Campaigns</h1>
        <div className="field">
          <label htmlFor={showId}>Show</label>
          <select
            id={showId}
            value={filter}
            onChange={(event) => {
              const next = new URLSearchParams(params);
              next.set('show', event.target.value);
              setParams(next, { replace: true });
            }}
          >
            {filters.map((entry) => (
              <option key={entry.value} value={entry.value}>
                {entry.label}
              </option>
            ))}
          </select>
        </div>
      </header>
      <FormErrors error={list.error ?? stats.error} />
      <table className="settings-table campaigns-table">
        <caption className="visually-hidden">Campaigns</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Dialing mode</th>
            <th scope="col">State</th>
            <th scope="col">Contacts</th>
            <th scope="col">Still to call</th>
            <th scope="col">Calls today</th>
            <th scope="col">Abandoned (30 days)</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {campaigns.map((campaign) => (
            <CampaignRow key={campaign.id} accountId={accountId} campaign={campaign} stats={stats.data} />
          ))}
          {!list.isPending && campaigns.length === 0 && (
            <tr>
              <td colSpan={8}>No campaigns here yet.</td>
            </tr>
          )}
        </tbody>
      </table>
      <LoadMoreButton pages={list} label="Load more campaigns" />
      <NewCampaignForm />
    </div>
  );
}

function CampaignRow({
  accountId,
  campaign,
  stats,
}: {
  accountId: number;
  campaign: Campaign;
  stats: Map<number, CampaignStats> | undefined;
}) {
  const figures = stats?.get(campaign.id);
  const state = campaignState(campaign);
  const abandonment = abandonmentOf(figures);
  return (
    <tr>
      <th scope="row">
        <Link to={`/accounts/${String(accountId)}/campaigns/${String(campaign.id)}`}>{campaign.name}</Link>
      </th>
      <td>{modeLabels[campaign.mode]}</td>
      <td>
        <span className={`campaign-state campaign-state-${state}`}>{stateLabels[state]}</span>
      </td>
      <td className="numeric">{figures ? count(figures.contacts.total) : '…'}</td>
      <td className="numeric">{figures ? count(figures.contacts.toCall) : '…'}</td>
      <td className="numeric">{figures ? count(figures.callsToday) : '…'}</td>
      <td className={abandonment.isNear ? 'abandonment-near' : undefined}>{abandonment.text}</td>
      <td className="row-actions">
        <CampaignActions campaign={campaign} />
      </td>
    </tr>
  );
}
