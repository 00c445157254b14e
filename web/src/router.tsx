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

function later(node: ReactNode): ReactNode {
  return <Suspense fallback={<Loading />}>{node}</Suspense>;
}

const laterSections = sections
  .filter((section) => section.path !== 'inbox')
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
      { path: '*', element: <NotFound /> },
    ],
  },
  { path: '*', element: <NotFound /> },
]);
