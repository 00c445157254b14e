import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Cidr = [Address, number];

/**
 * Decides which hosts and resolved addresses an outbound request may reach. Only public
 * unicast space is reachable by default, so that a customer-supplied URL cannot be used to
 * probe loopback services, the private network or a cloud metadata endpoint.
 */
export interface AddressPolicy {
  /** The URL host is named in the allowlist, so it may resolve anywhere. */
  isHostAllowlisted(hostname: string): boolean;
  /** The address is public unicast, or falls inside an allowlisted IP/CIDR entry. */
  isAddressAllowed(address: string): boolean;
}

// ipaddr.js files the deprecated IPv4-compatible block (::a.b.c.d) under plain unicast.
const extraBlocked: Cidr[] = [ipaddr.parseCIDR('::/96')];

// IPv6 blocks that carry an IPv4 address in their low 32 bits; the IPv4 inside decides.
const embedsIPv4InLowBits: Cidr[] = [ipaddr.parseCIDR('64:ff9b::/96'), ipaddr.parseCIDR('::ffff:0:0:0/96')];

export function createAddressPolicy(allowlist: readonly string[]): AddressPolicy {
  const hostnames = new Set<string>();
  const ranges: Cidr[] = [];
  for (const raw of allowlist) {
    const entry = raw.trim().toLowerCase();
    if (entry.length === 0) continue;
    const range = parseRangeEntry(entry);
    if (range) ranges.push(range);
    else hostnames.add(entry);
  }

  return {
    isHostAllowlisted: (hostname) => hostnames.has(hostname.toLowerCase()),
    isAddressAllowed: (address) => {
      const parsed = parseAddress(address);
      if (!parsed) return false;
      return inAnyRange(parsed, ranges) || isPublicUnicast(parsed);
    },
  };
}

/** Strips the brackets URL.hostname keeps around IPv6 literals; undefined when not an IP. */
export function ipLiteralOf(hostname: string): string | undefined {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return isIP(bare) === 0 ? undefined : bare;
}

// A typo in PARLEY_OUTBOUND_ALLOWLIST must fail at boot rather than silently allow nothing.
function parseRangeEntry(entry: string): Cidr | undefined {
  if (entry.includes('/')) {
    if (!ipaddr.isValidCIDR(entry)) throw new Error(`invalid CIDR in outbound allowlist: ${entry}`);
    return ipaddr.parseCIDR(entry);
  }
  const literal = ipLiteralOf(entry);
  if (literal === undefined) return undefined;
  const address = ipaddr.parse(literal);
  return [address, address.kind() === 'ipv4' ? 32 : 128];
}

// isIP is stricter than ipaddr.isValid, which also accepts legacy forms like "0x7f.1".
function parseAddress(address: string): Address | undefined {
  const literal = ipLiteralOf(address);
  return literal === undefined ? undefined : ipaddr.parse(literal);
}

function inAnyRange(address: Address, ranges: readonly Cidr[]): boolean {
  const forms = [address];
  const embedded = embeddedIPv4(address);
  if (embedded) forms.push(embedded);
  return forms.some((form) => ranges.some((range) => form.kind() === range[0].kind() && form.match(range)));
}

function isPublicUnicast(address: Address): boolean {
  const embedded = embeddedIPv4(address);
  if (embedded) return embedded.range() === 'unicast';
  if (extraBlocked.some((range) => address.kind() === range[0].kind() && address.match(range))) return false;
  return address.range() === 'unicast';
}

/**
 * The IPv4 address an IPv6 address stands for (mapped, translated, NAT64 or 6to4), since the
 * kernel or a gateway will deliver packets to that IPv4 host.
 */
function embeddedIPv4(address: Address): ipaddr.IPv4 | undefined {
  if (address.kind() !== 'ipv6') return undefined;
  const v6 = address as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address();
  const bytes = v6.toByteArray();
  if (embedsIPv4InLowBits.some((range) => v6.match(range))) return new ipaddr.IPv4(bytes.slice(12, 16));
  if (v6.range() === '6to4') return new ipaddr.IPv4(bytes.slice(2, 6));
  return undefined;
}
