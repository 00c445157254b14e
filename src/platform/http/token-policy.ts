import type { Config } from '../config.js';
import type { TypedApp } from './typed-app.js';
import type { TokenPolicy } from '../../core/identity/web-sessions.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Consulted by `authenticate` on every face, as the credential gate is: faces need no wiring. */
    tokenPolicy?: TokenPolicy;
  }
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** The configured web-session limits, judged on `clock` (the wall clock unless a test gives its own). */
export function tokenPolicyOf(
  config: Config,
  clock: { now(): Date } = { now: () => new Date() },
): TokenPolicy {
  return {
    webSessionIdleMs: config.PARLEY_SESSION_IDLE_MINUTES * MINUTE_MS,
    webSessionLifetimeMs: config.PARLEY_SESSION_LIFETIME_DAYS * DAY_MS,
    now: () => clock.now(),
  };
}

export function registerTokenPolicy(server: TypedApp, policy: TokenPolicy): void {
  server.decorate('tokenPolicy', policy);
}
