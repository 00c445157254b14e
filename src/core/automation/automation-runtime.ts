import type { ModuleRuntime, ModuleRuntimeDeps } from '../../platform/module-runtime.js';
import { createDeliverEmailJob, createMailer } from '../mail/index.js';
import { createRuleTriggerConsumer } from './rule-triggers.js';
import { createRunRuleJob } from './run-rule.job.js';

/**
 * Automation rules: the consumer that matches events to rules, the job that runs a rule, and the
 * email delivery job its email actions use (the mail module has no runtime of its own yet). The
 * `send_webhook_event` format is registered by the Chatwoot face, which owns that payload.
 */
export function createAutomationRuntime(deps: ModuleRuntimeDeps): ModuleRuntime {
  return {
    jobs: [
      createRunRuleJob({ logger: deps.logger }),
      createDeliverEmailJob({ db: deps.db, mailer: createMailer(deps.config) }),
    ],
    consumers: [createRuleTriggerConsumer(deps.logger)],
    webhookFormats: [],
  };
}
