export { listIntegrationApps, type IntegrationAppState } from './integration-apps.js';
export {
  getIntegrationApp,
  integrationApps,
  webhookApp,
  type IntegrationApp,
} from './integration-catalogue.js';
export {
  createIntegrationHook,
  deleteIntegrationHook,
  getIntegrationHook,
  listIntegrationHooks,
  updateIntegrationHook,
  type CreateIntegrationHookInput,
  type IntegrationHookView,
  type UpdateIntegrationHookInput,
  type WebhookHookSettings,
} from './integration-hooks.js';
