import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { SignInPage } from './auth/SignInPage';
import { RootRedirect } from './auth/RootRedirect';
import { AppShell } from './shell/AppShell';
import { RequireRole } from './shell/RequireRole';
import { InboxPage } from './inbox/InboxPage';
import { NotFound } from './screens/NotFound';
import { Loading } from './shell/Loading';
import { sections } from './shell/sections';

// Screens other than the inbox load on first visit, keeping the initial bundle to what an agent
// needs first.
const ComingSoon = lazy(() => import('./screens/ComingSoon'));
const SettingsPage = lazy(() => import('./settings/SettingsPage'));
const CallsLibraryPage = lazy(() => import('./calls/CallsLibraryPage'));
const CallPage = lazy(() => import('./calls/CallPage'));
const ReportsPage = lazy(() => import('./reports/ReportsPage'));
const ContactsPage = lazy(() => import('./contacts/ContactsPage'));
const ContactPage = lazy(() => import('./contacts/ContactPage'));
const QueuesPage = lazy(() => import('./queues/QueuesPage'));
const QueuePage = lazy(() => import('./queues/QueuePage'));
const CampaignsSection = lazy(() => import('./campaigns/CampaignsSection'));

function later(node: ReactNode): ReactNode {
  return <Suspense fallback={<Loading />}>{node}</Suspense>;
}

// Sections with a screen of their own; the others show a placeholder until theirs lands.
const withScreens = new Set<string>([
  'inbox',
  'settings',
  'calls',
  'reports',
  'contacts',
  'queues',
  'campaigns',
]);

const laterSections = sections
  .filter((section) => !withScreens.has(section.path))
  .map((section) => ({
    path: section.path,
    element: section.adminOnly ? (
      <RequireRole role="administrator">{later(<ComingSoon title={section.label} />)}</RequireRole>
    ) : (
      later(<ComingSoon title={section.label} />)
    ),
  }));

export const router = createBrowserRouter([
  { path: '/', element: <RootRedirect /> },
  { path: '/signin', element: <SignInPage /> },
  {
    path: '/accounts/:accountId',
    element: <AppShell />,
    children: [
      { index: true, element: <Navigate to="inbox" replace /> },
      { path: 'inbox', element: <InboxPage /> },
      { path: 'inbox/:conversationId', element: <InboxPage /> },
      ...laterSections,
      { path: 'calls', element: later(<CallsLibraryPage />) },
      { path: 'calls/:callId', element: later(<CallPage />) },
      { path: 'contacts', element: later(<ContactsPage />) },
      { path: 'contacts/:contactId', element: later(<ContactPage />) },
      {
        path: 'queues',
        element: <RequireRole role="administrator">{later(<QueuesPage />)}</RequireRole>,
      },
      {
        path: 'queues/:queueId',
        element: <RequireRole role="administrator">{later(<QueuePage />)}</RequireRole>,
      },
      {
        path: 'campaigns/*',
        element: <RequireRole role="administrator">{later(<CampaignsSection />)}</RequireRole>,
      },
      {
        path: 'reports',
        element: <RequireRole role="administrator">{later(<ReportsPage />)}</RequireRole>,
      },
      {
        path: 'settings/*',
        element: <RequireRole role="administrator">{later(<SettingsPage />)}</RequireRole>,
      },
      { path: '*', element: <NotFound /> },
    ],
  },
  { path: '*', element: <NotFound /> },
]);
