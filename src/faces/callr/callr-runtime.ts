import { emptyRuntime, type ModuleRuntime, type ModuleRuntimeDeps } from '../../platform/module-runtime.js';
import { createCallrWebhookFormat } from './webhook-format.js';
import { createDynamicWebhookConsumer } from './webhook-dynamic.js';
import { callrMappers } from './webhook-mappers.js';

/**
 * The CALLR face at run time: its webhook format on the shared engine, and the consumer that
 * pushes an SMS's status to the dynamic webhook it was sent with.
 */
export function createCallrRuntime(deps: ModuleRuntimeDeps): ModuleRuntime {
  return {
    ...emptyRuntime(),
    webhookFormats: [createCallrWebhookFormat(callrMappers)],
    consumers: [createDynamicWebhookConsumer(callrMappers, deps.logger)],
  };
}
