import { Route, Routes } from 'react-router';
import { CampaignsListPage } from './CampaignsListPage';
import { CampaignPage } from './CampaignPage';
import '../settings/settings.css';
import './campaigns.css';

/** Outbound campaigns (administrators): the list, and one campaign's page with its own sections. */
export default function CampaignsSection() {
  return (
    <Routes>
      <Route index element={<CampaignsListPage />} />
      <Route path=":campaignId/*" element={<CampaignPage />} />
    </Routes>
  );
}
