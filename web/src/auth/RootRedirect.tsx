import { Navigate } from 'react-router';
import { useMe } from '../api/session';
import { Loading } from '../shell/Loading';
import { lastAccountId } from '../shell/last-account';

/** `/`: the last account used (or the first), or the sign-in page. */
export function RootRedirect() {
  const me = useMe();
  if (me.isPending) return <Loading />;
  if (me.isError) return <p role="alert">Parley cannot be reached: {me.error.message}</p>;
  if (!me.data) return <Navigate to="/signin" replace />;
  const accounts = me.data.memberships.map((membership) => membership.accountId);
  const remembered = lastAccountId();
  const accountId = remembered !== null && accounts.includes(remembered) ? remembered : accounts[0];
  if (accountId === undefined) {
    return (
      <main className="centered-page">
        <h1>No account yet</h1>
        <p>You are signed in but not a member of any account. Ask an administrator to invite you.</p>
      </main>
    );
  }
  return <Navigate to={`/accounts/${String(accountId)}/inbox`} replace />;
}
