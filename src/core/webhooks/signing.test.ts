import { describe, expect, it } from 'vitest';
import { generateStandardSecret, hmacHex, signStandard, verifyStandard } from './signing.js';

describe('webhook signatures', () => {
  it('matches the Standard Webhooks specification test vector', () => {
    const signature = signStandard(
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      'msg_p5jXN8AQM9LWM0D4loKWxJek',
      1614265330,
      '{"test": 2432232314}',
    );

    expect(signature).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('verifies a fresh signature, and refuses a changed body, a stale timestamp and a wrong secret', () => {
    const secret = generateStandardSecret();
    const now = 1_700_000_000;
    const input = {
      id: 'd1',
      timestamp: String(now),
      body: '{"a":1}',
      signature: signStandard(secret, 'd1', now, '{"a":1}'),
    };

    expect(verifyStandard(secret, input, { nowSeconds: now + 10 })).toBe(true);
    expect(verifyStandard(secret, { ...input, body: '{"a":2}' }, { nowSeconds: now })).toBe(false);
    expect(verifyStandard(secret, input, { nowSeconds: now + 301 })).toBe(false);
    expect(verifyStandard(generateStandardSecret(), input, { nowSeconds: now })).toBe(false);
  });

  it('accepts any of several space-separated signatures, as during secret rotation', () => {
    const secret = generateStandardSecret();
    const signature = `v1,bm90LXRoaXMtb25l ${signStandard(secret, 'd2', 1000, 'x')}`;

    expect(
      verifyStandard(secret, { id: 'd2', timestamp: '1000', body: 'x', signature }, { nowSeconds: 1000 }),
    ).toBe(true);
  });

  it.each([
    ['md5', '80070713463e7749b90c2dc24911e275'],
    ['sha1', 'de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9'],
    ['sha256', 'f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8'],
    [
      'sha512',
      'b42af09057bac1e2d41708e48a902e09b5ff7f12ab428a4fe86653c73dd248fb82f948a549f7b791a5b41915ee4d1ec3935357e4e2317250d0372afa2ebeeb3a',
    ],
  ] as const)('computes HMAC-%s for faces that need it', (algorithm, expected) => {
    expect(hmacHex(algorithm, 'key', 'The quick brown fox jumps over the lazy dog')).toBe(expected);
  });
});
