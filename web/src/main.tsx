import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router';
import { ApiError } from './api/client';
import { meKey } from './api/session';
import { router } from './router';
import './styles/base.css';

/** A 401 anywhere means the session ended (signed out elsewhere, revoked): back to sign-in. */
function onError(error: Error): void {
  if (error instanceof ApiError && error.status === 401) queryClient.setQueryData(meKey, null);
}

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError }),
  mutationCache: new MutationCache({ onError }),
  defaultOptions: {
    queries: {
      // Real time keeps data fresh; refetching on every focus would only add load.
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      // A 4xx will not heal by retrying; a network blip or a 5xx might.
      retry: (failures, error) => !(error instanceof ApiError && error.status < 500) && failures < 2,
    },
  },
});

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
