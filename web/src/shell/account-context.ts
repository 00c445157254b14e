import { createContext, useContext } from 'react';
import type { Me, Role } from '../api/types';

export interface AccountContextValue {
  accountId: number;
  role: Role;
  me: Me;
  userId: number | null;
}

export const AccountContext = createContext<AccountContextValue | null>(null);

/** The open account and the signed-in user's role in it; only inside AppShell. */
export function useAccount(): AccountContextValue {
  const value = useContext(AccountContext);
  if (!value) throw new Error('useAccount outside an account route');
  return value;
}
