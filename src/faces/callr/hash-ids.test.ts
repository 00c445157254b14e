import { describe, expect, it } from 'vitest';
import { decodeHash, encodeHash } from './hash-ids.js';

describe('CALLR hash ids', () => {
  it('round-trips ids as eight uppercase hex digits, different per kind', () => {
    for (const id of [0, 1, 2, 41, 65_535, 65_536, 123_456_789, 0xffffffff]) {
      const hash = encodeHash('app', id);
      expect(hash).toMatch(/^[0-9A-F]{8}$/);
      expect(decodeHash('app', hash)).toBe(id);
      expect(decodeHash('app', hash.toLowerCase())).toBe(id);
    }
    expect(encodeHash('app', 7)).not.toBe(encodeHash('sms', 7));
    expect(new Set([1, 2, 3, 4, 5].map((id) => encodeHash('sms', id))).size).toBe(5);
  });

  it('refuses what is not a hash', () => {
    expect(decodeHash('app', 'XYZ')).toBeNull();
    expect(decodeHash('app', '123456789')).toBeNull();
    expect(() => encodeHash('app', -1)).toThrow(RangeError);
  });
});
