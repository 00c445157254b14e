import { describe, it, expect } from 'vitest';
import { createAddressPolicy, ipLiteralOf } from './address-policy.js';

describe('address policy defaults', () => {
  it.each([
    ['IPv4 loopback', '127.0.0.1'],
    ['the far end of 127/8', '127.255.255.254'],
    ['10/8', '10.1.2.3'],
    ['172.16/12', '172.31.255.1'],
    ['192.168/16', '192.168.0.10'],
    ['the cloud metadata address', '169.254.169.254'],
    ['link-local', '169.254.1.1'],
    ['unspecified', '0.0.0.0'],
    ['0/8', '0.1.2.3'],
    ['carrier-grade NAT', '100.64.0.1'],
    ['multicast', '224.0.0.1'],
    ['broadcast', '255.255.255.255'],
    ['reserved 240/4', '240.0.0.1'],
    ['IPv6 loopback', '::1'],
    ['IPv6 unspecified', '::'],
    ['unique local fc00::/7', 'fd12:3456::1'],
    ['IPv6 link-local', 'fe80::1'],
    ['IPv6 multicast', 'ff02::1'],
    ['IPv4-mapped loopback', '::ffff:127.0.0.1'],
    ['IPv4-mapped metadata address', '::ffff:169.254.169.254'],
    ['IPv4-mapped private address in hex form', '::ffff:a00:1'],
    ['IPv4-compatible loopback', '::127.0.0.1'],
    ['NAT64 form of a private address', '64:ff9b::10.0.0.1'],
    ['6to4 form of loopback', '2002:7f00:1::1'],
    ['bracketed IPv6 loopback', '[::1]'],
  ])('refuses %s (%s)', (_label, address) => {
    const policy = createAddressPolicy([]);

    const allowed = policy.isAddressAllowed(address);

    expect(allowed).toBe(false);
  });

  it.each(['93.184.215.14', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::8.8.8.8'])(
    'allows the public address %s',
    (address) => {
      const policy = createAddressPolicy([]);

      const allowed = policy.isAddressAllowed(address);

      expect(allowed).toBe(true);
    },
  );

  it('refuses strings that are not IP addresses', () => {
    const policy = createAddressPolicy([]);

    const results = ['localhost', '0x7f.1', '2130706433', ''].map((value) => policy.isAddressAllowed(value));

    expect(results).toEqual([false, false, false, false]);
  });
});

describe('address policy allowlist', () => {
  it('allows addresses inside an allowlisted CIDR and nothing next to it', () => {
    const policy = createAddressPolicy(['10.0.0.0/8']);

    const inside = policy.isAddressAllowed('10.200.3.4');
    const outside = policy.isAddressAllowed('192.168.1.1');

    expect(inside).toBe(true);
    expect(outside).toBe(false);
  });

  it('allows a single allowlisted IP and its IPv4-mapped form, not its neighbour', () => {
    const policy = createAddressPolicy(['127.0.0.1']);

    const results = ['127.0.0.1', '::ffff:127.0.0.1', '127.0.0.2'].map((a) => policy.isAddressAllowed(a));

    expect(results).toEqual([true, true, false]);
  });

  it('allows IPv6 ranges from the allowlist', () => {
    const policy = createAddressPolicy(['fd00::/8', '::1']);

    const results = ['fd00::5', '::1', 'fe80::1'].map((address) => policy.isAddressAllowed(address));

    expect(results).toEqual([true, true, false]);
  });

  it('matches hostname entries exactly and case-insensitively', () => {
    const policy = createAddressPolicy([' Hooks.Internal ', 'localhost']);

    const results = ['hooks.internal', 'HOOKS.INTERNAL', 'evil.hooks.internal', 'localhost.evil.com'].map(
      (host) => policy.isHostAllowlisted(host),
    );

    expect(results).toEqual([true, true, false, false]);
  });

  it('does not let a hostname entry open up the addresses it resolves to', () => {
    const policy = createAddressPolicy(['localhost']);

    const allowed = policy.isAddressAllowed('127.0.0.1');

    expect(allowed).toBe(false);
  });

  it('rejects a malformed CIDR entry at creation', () => {
    const create = (): unknown => createAddressPolicy(['10.0.0.0/33']);

    expect(create).toThrow(/invalid CIDR/);
  });
});

describe('ipLiteralOf', () => {
  it('unwraps bracketed IPv6 hosts and ignores names', () => {
    const results = ['[::1]', '127.0.0.1', 'example.com'].map((host) => ipLiteralOf(host));

    expect(results).toEqual(['::1', '127.0.0.1', undefined]);
  });
});
