import { lookup } from 'node:dns/promises';
import { buildConnector } from 'undici';
import { ipLiteralOf, type AddressPolicy } from './address-policy.js';
import { OutboundError } from './outbound-error.js';

/** Resolves a hostname to every address it has; injectable so tests can fake DNS answers. */
export type Resolver = (hostname: string) => Promise<string[]>;

export const systemResolver: Resolver = async (hostname) => {
  const answers = await lookup(hostname, { all: true, verbatim: true });
  return answers.map((answer) => answer.address);
};

/**
 * An undici connector that resolves the name itself, vets every address, then dials the
 * vetted address directly. Resolving once and connecting to that exact answer leaves no
 * window for DNS rebinding between the check and the connect.
 */
export function createGuardedConnector(
  policy: AddressPolicy,
  connectTimeoutMs: number,
  resolve: Resolver = systemResolver,
): buildConnector.connector {
  const dial = buildConnector({ timeout: connectTimeoutMs });
  return (options, callback) => {
    vettedAddresses(options.hostname, policy, resolve).then(
      (addresses) => {
        dialInTurn(dial, options, addresses, callback);
      },
      (error: unknown) => {
        callback(error instanceof Error ? error : new Error(String(error)), null);
      },
    );
  };
}

/** Every address the host may be reached at; refuses if any answer is off-limits. */
export async function vettedAddresses(
  hostname: string,
  policy: AddressPolicy,
  resolve: Resolver,
): Promise<string[]> {
  const literal = ipLiteralOf(hostname);
  if (literal !== undefined) {
    assertAllowed(hostname, [literal], policy);
    return [literal];
  }
  const addresses = await resolveOrFail(hostname, resolve);
  // One bad answer is enough to refuse: an attacker's zone can mix public and private records.
  if (!policy.isHostAllowlisted(hostname)) assertAllowed(hostname, addresses, policy);
  return addresses;
}

function assertAllowed(hostname: string, addresses: readonly string[], policy: AddressPolicy): void {
  const blocked = addresses.find((address) => !policy.isAddressAllowed(address));
  if (blocked !== undefined) {
    throw new OutboundError('blocked_address', `${hostname} resolves to blocked address ${blocked}`);
  }
}

async function resolveOrFail(hostname: string, resolve: Resolver): Promise<string[]> {
  let addresses: string[];
  try {
    addresses = await resolve(hostname);
  } catch (error) {
    throw new OutboundError('dns_failed', `cannot resolve ${hostname}`, { cause: error });
  }
  if (addresses.length === 0) throw new OutboundError('dns_failed', `${hostname} has no addresses`);
  return addresses;
}

// Falls through to the next vetted address on failure, e.g. when a name has both ::1 and
// 127.0.0.1 but the server listens on only one of them.
function dialInTurn(
  dial: buildConnector.connector,
  options: buildConnector.Options,
  addresses: readonly string[],
  callback: buildConnector.Callback,
): void {
  const [address, ...rest] = addresses;
  if (address === undefined) {
    callback(new OutboundError('connect_failed', `no address of ${options.hostname} accepted`), null);
    return;
  }
  // `host` keeps the original name, so TLS SNI and certificate checks still use the hostname.
  dial({ ...options, hostname: address }, (...result) => {
    if (result[0] !== null && rest.length > 0) dialInTurn(dial, options, rest, callback);
    else callback(...result);
  });
}
