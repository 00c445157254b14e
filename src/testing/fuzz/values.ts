import type { Rng } from './prng.js';

/** Moderate nesting only: a depth limit is enforced elsewhere, and its test covers the deep case. */
export const MAX_NESTING = 48;

const LONG = 'x'.repeat(100_000);

/** Strings that broke parsers, encoders and databases somewhere. */
export const oddStrings: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'a\udfffb',
  '\u202eevil',
  '\u200b\u200c\u200d\ufeff',
  '😀👍🏽👨‍👩‍👧',
  'e\u0301\u0301\u0301',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e309',
  '-1',
  '0x10',
  'true',
  '[]',
  '{}',
  '%00',
  '%',
  '../../../../etc/passwd',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '$1',
  '\\',
  '"',
  '2026-13-45T99:99:99Z',
  '0000-00-00',
  '9999999-01-01T00:00:00Z',
  'ftp://example.com/x',
  'http://127.0.0.1:1/x',
  'javascript:alert(1)',
  '__proto__',
  'constructor',
  LONG.slice(0, 256),
  LONG.slice(0, 2_001),
  LONG,
];

/** Numbers at and past every boundary an id, a page or a duration has. */
export const oddNumbers: readonly number[] = [
  0,
  -0,
  -1,
  1.5,
  -1.5,
  2 ** 31,
  2 ** 31 - 1,
  2 ** 32,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53),
  2 ** 63,
  1e21,
  1e308,
  -1e308,
  5e-324,
  Number.MAX_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER,
];

/** Path segments in place of an id. */
export const oddIds: readonly string[] = [
  '0',
  '-1',
  '1.5',
  '1e3',
  '9007199254740993',
  '99999999999999999999999999',
  '2147483648',
  'abc',
  'null',
  'NaN',
  '00000000-0000-0000-0000-000000000000',
  '6f1c7c1e-2b5a-4f7e-9d1a-8a3b2c1d0e9f',
  '%00',
  '%20',
  '%2F',
  '..',
  '%F0%9F%98%80',
  'x'.repeat(600),
  '1;DROP TABLE accounts',
  '0x1F',
  '+1',
  ' 1',
];

export function nested(depth: number, leaf: unknown, asArray: boolean): unknown {
  let value = leaf;
  for (let level = 0; level < depth; level += 1) value = asArray ? [value] : { a: value };
  return value;
}

/** A random JSON value of any type, odd more often than not. */
export function oddValue(rng: Rng): unknown {
  switch (rng.int(9)) {
    case 0:
      return rng.pick(oddStrings);
    case 1:
      return rng.pick(oddNumbers);
    case 2:
      return rng.pick([null, true, false]);
    case 3:
      return [];
    case 4:
      return {};
    case 5:
      return [rng.pick(oddStrings), rng.pick(oddNumbers), null, {}];
    case 6:
      return nested(1 + rng.int(MAX_NESTING), rng.pick(oddStrings), rng.chance(0.5));
    case 7:
      return { [rng.pick(oddStrings)]: rng.pick(oddStrings) };
    default:
      return Array.from({ length: 1 + rng.int(2_000) }, (_, index) => index);
  }
}
