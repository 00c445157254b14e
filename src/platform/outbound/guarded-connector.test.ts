import { describe, it, expect } from 'vitest';
import { createAddressPolicy } from './address-policy.js';
import { systemResolver, vettedAddresses, type Resolver } from './guarded-connector.js';
import type { OutboundError } from './outbound-error.js';

// A fixed DNS answer, to exercise zones no real resolver here would serve.
const answers =
  (addresses: string[]): Resolver =>
  () =>
    Promise.resolve(addresses);

describe('vettedAddresses', () => {
  it('refuses a hostname when any one of its answers is blocked', async () => {
    const policy = createAddressPolicy([]);

    const vetting = vettedAddresses('mixed.example', policy, answers(['93.184.215.14', '10.0.0.7']));

    await expect(vetting).rejects.toMatchObject({ code: 'blocked_address' } satisfies Partial<OutboundError>);
  });

  it('returns every answer of a hostname whose answers are all public', async () => {
    const policy = createAddressPolicy([]);

    const addresses = await vettedAddresses('ok.example', policy, answers(['93.184.215.14', '2606:4700::1']));

    expect(addresses).toEqual(['93.184.215.14', '2606:4700::1']);
  });

  it('passes private answers of an allowlisted hostname', async () => {
    const policy = createAddressPolicy(['hooks.internal']);

    const addresses = await vettedAddresses('hooks.internal', policy, answers(['10.0.0.7']));

    expect(addresses).toEqual(['10.0.0.7']);
  });

  it('checks IP literals without asking DNS', async () => {
    const policy = createAddressPolicy([]);
    const failingResolver: Resolver = () => Promise.reject(new Error('DNS must not be asked'));

    const vetting = vettedAddresses('169.254.169.254', policy, failingResolver);

    await expect(vetting).rejects.toMatchObject({ code: 'blocked_address' });
  });

  it('reports dns_failed when the name does not resolve', async () => {
    const policy = createAddressPolicy([]);
    const failingResolver: Resolver = () => Promise.reject(new Error('ENOTFOUND'));

    const vetting = vettedAddresses('nowhere.example', policy, failingResolver);

    await expect(vetting).rejects.toMatchObject({ code: 'dns_failed' });
  });

  it('reports dns_failed when the name has no addresses', async () => {
    const policy = createAddressPolicy([]);

    const vetting = vettedAddresses('empty.example', policy, answers([]));

    await expect(vetting).rejects.toMatchObject({ code: 'dns_failed' });
  });

  it('resolves localhost through the system resolver to a loopback address', async () => {
    const addresses = await systemResolver('localhost');

    expect(addresses.some((address) => address === '127.0.0.1' || address === '::1')).toBe(true);
  });
});
