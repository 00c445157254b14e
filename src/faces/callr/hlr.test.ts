import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../testing/app.js';
import { createCallrTestApp, postRpc, type CallrTestAccount, type Inject } from './callr-test-kit.js';

let app: TestApp;
let inject: Inject;
let account: CallrTestAccount;

beforeAll(async () => {
  const kit = await createCallrTestApp();
  app = kit.app;
  inject = kit.inject;
  account = await kit.account('Looker');
});
afterAll(async () => {
  await app.close();
});

describe('hlr.lookup', () => {
  it('answers HLR.Response: SUCCESS with the serving network for a reachable mobile', async () => {
    const response = await account.result('hlr.lookup', ['+33612345678']);

    expect(response).toEqual({ mcc: '208', mnc: expect.stringMatching(/^(01|10|15|20)$/), state: 'SUCCESS' });
  });

  it('answers FAILURE for an absent handset (network kept) and an unknown subscriber', async () => {
    expect(await account.result('hlr.lookup', ['+33612340000'])).toMatchObject({
      mcc: '208',
      state: 'FAILURE',
    });
    expect(await account.result('hlr.lookup', ['+33123456789'])).toEqual({
      mcc: '',
      mnc: '',
      state: 'FAILURE',
    });
  });

  it('names a bad number and needs credentials', async () => {
    const bad = await account.error('hlr.lookup', ['0612345678']);
    const anonymous = await postRpc(inject, 'hlr.lookup', ['+33612345678']);

    expect(bad).toMatchObject({ code: -32602, message: expect.stringContaining("#1 'number'") });
    expect(anonymous.error?.code).toBe(-32001);
  });
});
