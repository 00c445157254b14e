import { DomainError } from '../../platform/errors.js';

/** What an integration app is; only apps Parley actually runs are listed (no dead tiles). */
export interface IntegrationApp {
  id: string;
  name: string;
  description: string;
  /** Whether its hooks belong to the account or to one inbox. */
  hookType: 'account' | 'inbox';
  allowMultipleHooks: boolean;
}

export const webhookApp: IntegrationApp = {
  id: 'webhook',
  name: 'Webhooks',
  description:
    "Webhook events provide you the realtime information about what's happening in your account. " +
    'Deliveries are signed, retried with backoff and logged.',
  hookType: 'account',
  allowMultipleHooks: true,
};

export const integrationApps: readonly IntegrationApp[] = [webhookApp];

export function getIntegrationApp(appId: string): IntegrationApp {
  const app = integrationApps.find((candidate) => candidate.id === appId);
  if (app) return app;
  throw new DomainError('VALIDATION_FAILED', `${appId} is not an available integration`, [
    {
      path: 'app_id',
      message: `must be one of: ${integrationApps.map((candidate) => candidate.id).join(', ')}`,
    },
  ]);
}
