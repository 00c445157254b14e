import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './passwords.js';
import { issueSecret, hashSecret, secretsEqual } from './secrets.js';

describe('passwords', () => {
  it('verifies the right password and rejects a wrong one', async () => {
    const stored = await hashPassword('correct horse battery staple');

    expect(stored.startsWith('scrypt$')).toBe(true);
    expect(stored).not.toContain('correct horse');
    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', stored)).toBe(false);
  });

  it('salts each hash so equal passwords do not share a hash', async () => {
    const [first, second] = await Promise.all([hashPassword('same'), hashPassword('same')]);

    expect(first).not.toEqual(second);
  });

  it('rejects a malformed stored hash instead of throwing', async () => {
    expect(await verifyPassword('x', 'md5$abc')).toBe(false);
  });
});

describe('secrets', () => {
  it('issues distinct random tokens whose hash is stored, not the token', () => {
    const first = issueSecret('pk');
    const second = issueSecret('pk');

    expect(first.token).not.toEqual(second.token);
    expect(first.token.startsWith('pk_')).toBe(true);
    expect(first.hash).toEqual(hashSecret(first.token));
    expect(first.hash).not.toContain(first.token);
  });

  it('compares secrets of different lengths without throwing', () => {
    expect(secretsEqual('abc', 'abc')).toBe(true);
    expect(secretsEqual('abc', 'abcd')).toBe(false);
  });
});
