import { describe, expect, it } from 'vitest';
import { createHlrSimulator } from './hlr.js';
import { MOBILE_NETWORKS } from './hlr-networks.js';

const hlr = createHlrSimulator();

describe('the HLR simulator', () => {
  it('answers a valid mobile number with one of its country’s networks, always the same', async () => {
    const first = await hlr.lookup('+33612345678');
    const again = await hlr.lookup('+33612345678');

    expect(first.status).toBe('reachable');
    expect(MOBILE_NETWORKS['FR']).toContainEqual(first.network);
    expect(again).toEqual(first);
  });

  it('gives one number range one home network, and ports some numbers away from it', async () => {
    const answers = await Promise.all(
      Array.from({ length: 64 }, (_, index) => hlr.lookup(`+336123456${String(index).padStart(2, '0')}`)),
    );
    const home = answers.filter((answer) => !answer.isPorted).map((answer) => answer.network?.mnc);
    const ported = answers.filter((answer) => answer.isPorted);

    expect(new Set(home).size).toBe(1);
    expect(ported.length).toBeGreaterThan(0);
    expect(ported.length).toBeLessThan(answers.length / 2);
    expect(ported.every((answer) => answer.network?.mnc !== home[0])).toBe(true);
  });

  it('says absent for numbers ending in 0000 and invalid for 0001, fixed lines and non-numbers', async () => {
    const absent = await hlr.lookup('+33612340000');

    expect(absent).toMatchObject({ status: 'absent', network: { mcc: '208' } });
    expect(await hlr.lookup('+33612340001')).toMatchObject({ status: 'invalid', network: null });
    expect(await hlr.lookup('+33123456789')).toMatchObject({ status: 'invalid', network: null });
    expect(await hlr.lookup('+999')).toMatchObject({ status: 'invalid', network: null });
  });

  it('knows no network in a country it has no table for', async () => {
    expect(await hlr.lookup('+8613800138000')).toMatchObject({ status: 'reachable', network: null });
  });
});
