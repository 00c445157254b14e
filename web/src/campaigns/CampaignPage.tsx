import { useEffect } from 'react';
import { Link, Navigate, NavLink, Route, Routes, useParams } from 'react-router';
import { useAccount } from '../shell/account-context';
import { useCampaign, useOneCampaignStats, type Campaign } from './api';
import { abandonmentOf, campaignState, count, modeLabels, stateLabels } from './format';
import { CampaignActions } from './CampaignActions';
import { CampaignContacts } from './CampaignContacts';
import { CampaignSettings } from './CampaignSettings';
import { WrapupCodes } from './WrapupCodes';
import { RecentCalls } from './RecentCalls';

const sections = [
  { path: 'contacts', label: 'Contacts' },
  { path: 'settings', label: 'Settings' },
  { path: 'wrap-ups', label: 'Wrap-up codes' },
  { path: 'calls', label: 'Recent calls' },
] as const;

/** One campaign: its state and figures on top, then contacts, settings, wrap-up codes and calls. */
export function CampaignPage() {
  const { accountId } = useAccount();
  const campaignId = Number(useParams().campaignId);
  const campaign = useCampaign(accountId, campaignId);
  const list = `/accounts/${String(accountId)}/campaigns`;

  useEffect(() => {
    if (campaign.data) document.title = `${campaign.data.name} · Campaigns · Parley`;
  }, [campaign.data]);

  if (campaign.error) {
    return (
      <div className="campaigns-page">
        <p role="alert">This campaign could not be loaded: {campaign.error.message}</p>
        <Link to={list}>Back to campaigns</Link>
      </div>
    );
  }
  if (!campaign.data) return <div className="campaigns-page loading">Loading…</div>;
  return <CampaignDetails key={campaign.data.id} campaign={campaign.data} />;
}

function CampaignDetails({ campaign }: { campaign: Campaign }) {
  const { accountId } = useAccount();
  const root = `/accounts/${String(accountId)}/campaigns/${String(campaign.id)}`;
  const state = campaignState(campaign);
  return (
    <div className="campaigns-page campaign-page">
      <nav aria-label="Breadcrumb">
        <Link to={`/accounts/${String(accountId)}/campaigns`}>Campaigns</Link>
      </nav>
      <header className="campaigns-header">
        <div>
          <h1>{campaign.name}</h1>
          <p className="subtle">
            {modeLabels[campaign.mode]} ·{' '}
            <span className={`campaign-state campaign-state-${state}`} data-testid="campaign-state">
              {stateLabels[state]}
            </span>
          </p>
        </div>
        <CampaignActions campaign={campaign} />
      </header>
      <Figures campaignId={campaign.id} />
      <nav className="campaign-tabs" aria-label="Campaign sections">
        <ul>
          {sections.map((section) => (
            <li key={section.path}>
              <NavLink to={`${root}/${section.path}`}>{section.label}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Routes>
        <Route index element={<Navigate to={`${root}/contacts`} replace />} />
        <Route path="contacts" element={<CampaignContacts campaign={campaign} />} />
        <Route path="settings" element={<CampaignSettings campaign={campaign} />} />
        <Route path="wrap-ups" element={<WrapupCodes />} />
        <Route path="calls" element={<RecentCalls campaign={campaign} />} />
        <Route path="*" element={<Navigate to={`${root}/contacts`} replace />} />
      </Routes>
    </div>
  );
}

/** The campaign's figures, refreshed every 10 s (the dialer changes them without telling the page). */
function Figures({ campaignId }: { campaignId: number }) {
  const { accountId } = useAccount();
  const stats = useOneCampaignStats(accountId, campaignId);
  const figures = stats.data;
  const value = (number: number | undefined) => (number === undefined ? '…' : count(number));
  const abandonment = abandonmentOf(figures);
  return (
    <section aria-labelledby="figures-title">
      <h2 id="figures-title" className="visually-hidden">
        Figures
      </h2>
      <dl className="campaign-figures">
        <div>
          <dt>Contacts</dt>
          <dd>{value(figures?.contacts.total)}</dd>
        </div>
        <div>
          <dt>Still to call</dt>
          <dd>{value(figures?.contacts.toCall)}</dd>
        </div>
        <div>
          <dt>Called</dt>
          <dd>{value(figures?.contacts.called)}</dd>
        </div>
        <div>
          <dt>Excluded</dt>
          <dd>{value(figures?.contacts.excluded)}</dd>
        </div>
        <div>
          <dt>Calls today</dt>
          <dd>
            {value(figures?.callsToday)}
            {figures && <span className="subtle figure-note">since midnight, {figures.timezone}</span>}
          </dd>
        </div>
        <div className={abandonment.isNear ? 'abandonment-near' : undefined}>
          <dt>Abandoned (30 days)</dt>
          <dd className="figure-text">{abandonment.text}</dd>
        </div>
      </dl>
      {stats.error && <p role="alert">The figures could not be loaded: {stats.error.message}</p>}
    </section>
  );
}
