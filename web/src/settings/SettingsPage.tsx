import { useEffect } from 'react';
import { Navigate, NavLink, Route, Routes } from 'react-router';
import { InboxesSettings } from './InboxesSettings';
import { ApiKeysSettings } from './ApiKeysSettings';
import { AgentsSettings } from './AgentsSettings';
import { WebhooksSettings } from './WebhooksSettings';
import { CustomAttributesSettings } from './CustomAttributesSettings';
import { TeamsSettings } from './TeamsSettings';
import { LabelsSettings } from './LabelsSettings';
import { CannedResponsesSettings } from './CannedResponsesSettings';
import { useAccount } from '../shell/account-context';
import './settings.css';

/** The settings sections, in the sub-navigation's order. */
const settingsSections = [
  { path: 'inboxes', label: 'Inboxes', element: <InboxesSettings /> },
  { path: 'agents', label: 'Agents', element: <AgentsSettings /> },
  { path: 'teams', label: 'Teams', element: <TeamsSettings /> },
  { path: 'labels', label: 'Labels', element: <LabelsSettings /> },
  { path: 'canned-responses', label: 'Canned responses', element: <CannedResponsesSettings /> },
  { path: 'custom-attributes', label: 'Custom attributes', element: <CustomAttributesSettings /> },
  { path: 'webhooks', label: 'Webhooks', element: <WebhooksSettings /> },
  { path: 'api-keys', label: 'API keys', element: <ApiKeysSettings /> },
] as const;

/** Administrators' settings: a sub-navigation and one section at a time (its own URL). */
export default function SettingsPage() {
  const { accountId } = useAccount();
  // Absolute paths: relative links inside a splat route resolve against the splat in react-router 7.
  const root = `/accounts/${String(accountId)}/settings`;
  useEffect(() => {
    document.title = 'Settings · Parley';
  }, []);
  return (
    <div className="settings">
      <nav className="settings-nav" aria-label="Settings sections">
        <h1 className="settings-title">Settings</h1>
        <ul>
          {settingsSections.map((section) => (
            <li key={section.path}>
              <NavLink to={`${root}/${section.path}`}>{section.label}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className="settings-body">
        <Routes>
          <Route index element={<Navigate to={`${root}/inboxes`} replace />} />
          {settingsSections.map((section) => (
            <Route key={section.path} path={section.path} element={section.element} />
          ))}
          <Route path="*" element={<Navigate to={`${root}/inboxes`} replace />} />
        </Routes>
      </div>
    </div>
  );
}
