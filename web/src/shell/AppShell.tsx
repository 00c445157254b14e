import { useEffect, useMemo } from 'react';
import { Navigate, NavLink, Outlet, useLocation, useNavigate, useParams } from 'react-router';
import { displayName, useMe, useSignOut } from '../api/session';
import type { Membership } from '../api/types';
import { useRealtime } from '../realtime/use-realtime';
import { PresenceControl } from '../queues/PresenceControl';
import { sections } from './sections';
import { AccountContext, type AccountContextValue } from './account-context';
import { rememberAccount } from './last-account';
import { Loading } from './Loading';

function accountLabel(membership: Membership): string {
  return membership.accountName ?? `Account ${String(membership.accountId)}`;
}

/** The signed-in frame: navigation, account switcher, sign-out, and the account's live socket. */
export function AppShell() {
  const me = useMe();
  const location = useLocation();
  const accountId = Number(useParams().accountId);

  if (me.isPending) return <Loading />;
  if (me.isError) return <p role="alert">Parley cannot be reached: {me.error.message}</p>;
  if (!me.data) {
    return (
      <Navigate to={`/signin?next=${encodeURIComponent(location.pathname + location.search)}`} replace />
    );
  }
  const membership = me.data.memberships.find((item) => item.accountId === accountId);
  if (!membership) {
    return (
      <main className="centered-page">
        <h1>No access to this account</h1>
        <p>
          <a href="/">Go to your accounts</a>
        </p>
      </main>
    );
  }
  return (
    <SignedIn value={{ accountId, role: membership.role, me: me.data, userId: me.data.user?.id ?? null }} />
  );
}

function SignedIn({ value }: { value: AccountContextValue }) {
  const navigate = useNavigate();
  const signOut = useSignOut();
  const realtime = useRealtime(value.accountId, value.userId);
  const context = useMemo(() => value, [value.accountId, value.role, value.me, value.userId]);

  useEffect(() => rememberAccount(value.accountId), [value.accountId]);

  const visibleSections = sections.filter((section) => !section.adminOnly || value.role === 'administrator');
  const user = value.me.user;

  return (
    <AccountContext.Provider value={context}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <div className="shell">
        <header className="topbar">
          <span className="brand">Parley</span>
          <nav aria-label="Sections">
            <ul className="nav-list">
              {visibleSections.map((section) => (
                <li key={section.path}>
                  <NavLink to={section.path}>{section.label}</NavLink>
                </li>
              ))}
            </ul>
          </nav>
          <div className="topbar-end">
            <span className={`realtime-dot ${realtime}`} role="status" title={`Real time: ${realtime}`}>
              <span className="visually-hidden">Real time {realtime}</span>
            </span>
            {value.me.memberships.length > 1 ? (
              <>
                <label htmlFor="account-switcher" className="visually-hidden">
                  Account
                </label>
                <select
                  id="account-switcher"
                  value={value.accountId}
                  onChange={(event) => void navigate(`/accounts/${event.target.value}/inbox`)}
                >
                  {value.me.memberships.map((item) => (
                    <option key={item.accountId} value={item.accountId}>
                      {accountLabel(item)}
                    </option>
                  ))}
                </select>
              </>
            ) : (
              <span className="account-name">
                {accountLabel(value.me.memberships[0] ?? { accountId: value.accountId, role: value.role })}
              </span>
            )}
            <span className="user-name">
              {user ? displayName(user) : ''} <span className="role-badge">{value.role}</span>
            </span>
            {user ? <PresenceControl accountId={value.accountId} /> : null}
            <button
              type="button"
              className="button"
              onClick={() => signOut.mutate(undefined, { onSettled: () => void navigate('/signin') })}
            >
              Sign out
            </button>
          </div>
        </header>
        <main id="main" className="content" tabIndex={-1}>
          <Outlet />
        </main>
      </div>
    </AccountContext.Provider>
  );
}
