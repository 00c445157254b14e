import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { bearer, createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import type { Config } from '../../platform/config.js';

export type Inject = (options: InjectOptions) => Promise<LightMyRequestResponse>;

export interface DiabolocomTestAccount {
  accountId: number;
  apiKey: string;
  /** A request to `/diabolocom<path>` with this account's key as a Bearer token. */
  call(method: InjectOptions['method'], path: string, payload?: unknown): Promise<LightMyRequestResponse>;
  /** A request to the native API `/api/v1/accounts/{accountId}<path>` with the same key. */
  native(method: InjectOptions['method'], path: string, payload?: unknown): Promise<LightMyRequestResponse>;
}

/** A Parley with one or more accounts to talk to through the Diabolocom face. */
export async function createDiabolocomTestApp(
  overrides: Partial<Config> = {},
): Promise<{ app: TestApp; inject: Inject; account(name: string): Promise<DiabolocomTestAccount> }> {
  const app = await createTestApp(overrides);
  const inject = injector(app);
  return {
    app,
    inject,
    async account(name) {
      const { accountId, apiKey } = await seedAccount(app, name);
      const send = (method: InjectOptions['method'], url: string, payload?: unknown) =>
        inject({
          method,
          url,
          headers: bearer(apiKey),
          ...(payload !== undefined && { payload: payload as InjectOptions['payload'] }),
        });
      return {
        accountId,
        apiKey,
        call: (method, path, payload) => send(method, `/diabolocom${path}`, payload),
        native: (method, path, payload) => send(method, `/api/v1/accounts/${accountId}${path}`, payload),
      };
    },
  };
}
