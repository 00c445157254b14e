import { useEffect, useState, type SyntheticEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useMe, useSignIn } from '../api/session';
import { Loading } from '../shell/Loading';

export function SignInPage() {
  const me = useMe();
  const signIn = useSignIn();
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  useEffect(() => {
    document.title = 'Sign in · Parley';
  }, []);

  // Only a path on this site: never an open redirect to another origin.
  const next = searchParams.get('next');
  const target = next?.startsWith('/') && !next.startsWith('//') ? next : '/';

  if (me.isPending) return <Loading />;
  if (me.data && !signIn.isPending) return <Navigate to={target} replace />;

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    signIn.mutate({ email, password }, { onSuccess: () => void navigate(target, { replace: true }) });
  };

  return (
    <main className="signin">
      <form className="signin-card" onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">Sign in to Parley</h1>
        <label htmlFor="signin-email">Email</label>
        <input
          id="signin-email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
        />
        <label htmlFor="signin-password">Password</label>
        <input
          id="signin-password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
        {signIn.isError && (
          <p className="form-error" role="alert">
            {signIn.error.message}
          </p>
        )}
        <button type="submit" className="button primary" disabled={signIn.isPending}>
          {signIn.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
