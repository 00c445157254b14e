import { DomainError } from '../../platform/errors.js';
import type { AddressPolicy } from '../../platform/outbound/address-policy.js';
import { systemResolver, vettedAddresses, type Resolver } from '../../platform/outbound/guarded-connector.js';
import { isOutboundError } from '../../platform/outbound/outbound-error.js';

/** Resolves a hostname to its addresses; injectable so tests need no DNS. */
export type HostResolver = Resolver;

export interface DeliverableUrlCheck {
  policy: AddressPolicy;
  /** The field as the caller's face names it (`url`, `outgoing_url`, `webhook_url`); messages name it. */
  field: string;
  /** Where the error details point, when the face nests the field (`body.url`); default `field`. */
  path?: string;
  resolve?: HostResolver;
  /** A slow or broken resolver must not hold a request for long. */
  resolveTimeoutMs?: number;
}

const DEFAULT_RESOLVE_TIMEOUT_MS = 2000;

/**
 * Refuses, at creation or update, a webhook target the delivery guard would refuse anyway, so
 * the mistake is a clear 422 instead of a silent failure found later in a delivery log. Checks
 * the address only: nothing is connected to. Delivery still vets every address again, since a
 * name can resolve elsewhere by then (DNS rebinding).
 */
export async function assertDeliverableUrl(url: string, check: DeliverableUrlCheck): Promise<void> {
  const { hostname } = parseHttpUrl(url, check);
  // The delivery guard's own vetting (literal or every DNS answer, allowlist included), so creation
  // and delivery cannot disagree. A name that does not resolve now is accepted: a receiver may be
  // set up after its webhook, and the delivery log shows a lasting DNS failure.
  const vetting = vettedAddresses(hostname, check.policy, check.resolve ?? systemResolver);
  try {
    await within(vetting, check.resolveTimeoutMs ?? DEFAULT_RESOLVE_TIMEOUT_MS);
  } catch (error) {
    if (!isOutboundError(error)) throw error;
    if (error.code === 'blocked_address') refuse(check, error.message);
  }
}

// The wording matches the faces' earlier scheme checks, so clients see the same answer as before.
function parseHttpUrl(url: string, check: DeliverableUrlCheck): URL {
  const field = check.field;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(check, `${field} must be an http(s) URL`, 'is invalid');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw invalid(check, `${field} must be an http(s) URL`, 'is invalid');
  }
  // Credentials in a URL end up in logs and the delivery log; receivers should check signatures.
  if (parsed.username !== '' || parsed.password !== '') {
    throw invalid(check, `${field} must not contain a user name or password`, 'must not contain credentials');
  }
  return parsed;
}

/** Settles with the promise, or resolves quietly after `timeoutMs`: a slow resolver must not hold a request. */
async function within(promise: Promise<unknown>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((settle) => {
    timer = setTimeout(settle, timeoutMs);
  });
  try {
    await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function refuse(check: DeliverableUrlCheck, why: string): never {
  throw invalid(
    check,
    `${check.field} must not point at a private, loopback or link-local address (${why}); ` +
      'an operator can allow such targets with PARLEY_OUTBOUND_ALLOWLIST',
    'points at an address webhooks may not reach',
  );
}

function invalid(check: DeliverableUrlCheck, message: string, detail: string): DomainError {
  return new DomainError('VALIDATION_FAILED', message, [
    { path: check.path ?? check.field, message: detail },
  ]);
}
