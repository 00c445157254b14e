import { lookup } from 'node:dns/promises';
import { DomainError } from '../../platform/errors.js';
import { ipLiteralOf, type AddressPolicy } from '../../platform/outbound/address-policy.js';

/** Resolves a hostname to its addresses; injectable so tests need no DNS. */
export type HostResolver = (hostname: string) => Promise<string[]>;

const systemResolver: HostResolver = async (hostname) => {
  const answers = await lookup(hostname, { all: true, verbatim: true });
  return answers.map((answer) => answer.address);
};

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
  const parsed = parseHttpUrl(url, check);
  const hostname = parsed.hostname;
  const literal = ipLiteralOf(hostname);
  if (literal !== undefined) {
    if (!check.policy.isAddressAllowed(literal)) refuse(check, `${literal} is not a public address`);
    return;
  }
  if (check.policy.isHostAllowlisted(hostname)) return;
  const addresses = await resolveWithin(
    hostname,
    check.resolve ?? systemResolver,
    check.resolveTimeoutMs ?? DEFAULT_RESOLVE_TIMEOUT_MS,
  );
  // Delivery refuses a name if any of its answers is off-limits, so the same rule applies here.
  if (addresses.some((address) => !check.policy.isAddressAllowed(address))) {
    refuse(check, `${hostname} resolves to an address that is not public`);
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

/**
 * The addresses a name has, or none when it cannot be resolved now (NXDOMAIN, timeout): a
 * receiver may be set up after its webhook, and the delivery log shows a lasting DNS failure.
 */
async function resolveWithin(hostname: string, resolve: HostResolver, timeoutMs: number): Promise<string[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string[]>((settle) => {
    timer = setTimeout(() => settle([]), timeoutMs);
  });
  try {
    return await Promise.race([resolve(hostname).catch(() => []), timeout]);
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
