import { describe, expect, it } from 'vitest';
import { createAddressPolicy } from '../../platform/outbound/address-policy.js';
import { assertDeliverableUrl, type HostResolver } from './deliverable-url.js';

const policy = createAddressPolicy(['127.0.0.2/32', 'hooks.internal.test']);

function resolverOf(answers: Record<string, string[]>): HostResolver {
  return (hostname) => {
    const found = answers[hostname];
    return found ? Promise.resolve(found) : Promise.reject(new Error(`ENOTFOUND ${hostname}`));
  };
}

const resolve = resolverOf({
  'public.test': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
  'private.test': ['10.1.2.3'],
  'mixed.test': ['93.184.216.34', '169.254.169.254'],
  'hooks.internal.test': ['10.9.9.9'],
  'allowed-address.test': ['127.0.0.2'],
});

const check = (url: string) => assertDeliverableUrl(url, { policy, field: 'url', resolve });

describe('assertDeliverableUrl', () => {
  it('accepts a name that resolves only to public addresses, or to allowlisted ones', async () => {
    await expect(check('https://public.test/hook')).resolves.toBeUndefined();
    await expect(check('http://allowed-address.test/hook')).resolves.toBeUndefined();
    await expect(check('http://hooks.internal.test/hook')).resolves.toBeUndefined();
  });

  it('refuses a name with any private answer, as delivery would', async () => {
    await expect(check('https://private.test/hook')).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ path: 'url' }],
    });
    await expect(check('https://mixed.test/hook')).rejects.toThrow(/^url must not point at a private/);
  });

  it('accepts a name that does not resolve now: delivery decides later and logs why', async () => {
    await expect(check('https://not-yet.test/hook')).resolves.toBeUndefined();
  });

  it('gives up on a resolver that hangs after the timeout instead of holding the request', async () => {
    const started = Date.now();

    await assertDeliverableUrl('https://slow.test/hook', {
      policy,
      field: 'url',
      resolve: () => new Promise<string[]>(() => undefined),
      resolveTimeoutMs: 50,
    });

    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('names the face path of the field in the details when given one', async () => {
    await expect(
      assertDeliverableUrl('http://10.0.0.1/', { policy, field: 'webhook_url', path: 'channel.webhook_url' }),
    ).rejects.toMatchObject({ details: [{ path: 'channel.webhook_url' }] });
  });
});
