import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { callrMethods } from './method-table.js';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

describe('the README lists the CALLR face', () => {
  it('names every JSON-RPC method the face answers, aliases included', () => {
    const names = callrMethods.flatMap((method) => [method.name, ...(method.aliases ?? [])]);
    const missing = names.filter((name) => !readme.includes(`\`${name}\``));
    expect(names.length).toBeGreaterThan(50);
    expect(missing).toEqual([]);
  });
});
