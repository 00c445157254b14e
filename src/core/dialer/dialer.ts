/**
 * The dialer engine's entry points, for jobs, the native API and the bench (each takes its
 * database, carrier and clock, so the bench runs them on a virtual clock).
 */
export { dialerTick, type TickResult } from './dialer-tick.js';
export { handleCarrierEvent } from './carrier-events.js';
export { wrapUpAttempt, type WrapUpInput } from './wrap-up.js';
export { joinCampaign, leaveCampaign, setAgentState, loadAgent, type AgentRef } from './dialer-agents.js';
export { previewNext, acceptPreview, skipPreview } from './preview.js';
export { reconcileAttempts, type ReconcileOptions } from './reconcile.js';
export { serveWaitingCalls } from './waiting-calls.js';
export { recordCallOfAttempt } from './ended-call.js';
export {
  CONNECT_GRACE_MS,
  MIN_HOURS_BETWEEN_ATTEMPTS,
  ABANDON_WINDOW_DAYS,
  type DialerDeps,
} from './dialer-deps.js';
