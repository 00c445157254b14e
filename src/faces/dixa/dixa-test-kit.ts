import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import type { Config } from '../../platform/config.js';

export type Inject = (options: InjectOptions) => Promise<LightMyRequestResponse>;

/** Dixa clients send the bare token in `Authorization`; the face accepts `Bearer ` too. */
export function dixaHeaders(token: string): Record<string, string> {
  return { authorization: token };
}

export interface DixaTestOrg {
  accountId: number;
  apiKey: string;
  /** A request to `/dixa<path>` with this organization's key. */
  call(method: InjectOptions['method'], path: string, payload?: unknown): Promise<LightMyRequestResponse>;
}

/** A Parley with one or more organizations (accounts) to talk to through the Dixa face. */
export async function createDixaTestApp(
  overrides: Partial<Config> = {},
): Promise<{ app: TestApp; inject: Inject; organization(name: string): Promise<DixaTestOrg> }> {
  const app = await createTestApp(overrides);
  const inject = injector(app);
  return {
    app,
    inject,
    async organization(name) {
      const { accountId, apiKey } = await seedAccount(app, name);
      return {
        accountId,
        apiKey,
        call: (method, path, payload) =>
          inject({
            method,
            url: `/dixa${path}`,
            headers: dixaHeaders(apiKey),
            ...(payload !== undefined && { payload: payload as InjectOptions['payload'] }),
          }),
      };
    },
  };
}
