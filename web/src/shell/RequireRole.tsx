import type { ReactNode } from 'react';
import type { Role } from '../api/types';
import { useAccount } from './account-context';

/** Screens for administrators only; the server enforces the same, this just says so kindly. */
export function RequireRole({ role, children }: { role: Role; children: ReactNode }) {
  const account = useAccount();
  if (role === 'administrator' && account.role !== 'administrator') {
    return (
      <section className="coming-soon">
        <h1>Administrators only</h1>
        <p>Ask an administrator of this account if you need this screen.</p>
      </section>
    );
  }
  return children;
}
