import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { startWebhookReceiver, type ReceiverBehaviour } from '../../testing/webhook-receiver.js';
import type { Config } from '../../platform/config.js';
import type { CarrierSimulator } from '../../core/telephony/carrier-simulator.js';
import { telephonyRuntimeOf } from '../../core/telephony/telephony-runtime.js';
import { CALLR_RPC_PATH } from './index.js';
import type { RpcErrorObject } from './json-rpc.js';

export type Inject = ReturnType<typeof injector>;

/** A JSON-RPC answer: `result` when the method succeeded, `error` otherwise. */
export interface RpcAnswer<T = unknown> {
  jsonrpc: '2.0';
  id: number | string | null;
  result?: T;
  error?: RpcErrorObject;
}

export interface CallrTestAccount {
  accountId: number;
  apiKey: string;
  /** Calls `method` with positional `params` as this account (`Authorization: Api-Key`), expecting HTTP 200. */
  rpc<T = unknown>(
    method: string,
    params?: unknown[],
    headers?: Record<string, string>,
  ): Promise<RpcAnswer<T>>;
  /** Like `rpc`, but fails the test unless the method succeeded; returns its result. */
  result<T = unknown>(method: string, params?: unknown[], headers?: Record<string, string>): Promise<T>;
  /** Like `rpc`, but fails the test unless the method failed; returns the error object. */
  error(method: string, params?: unknown[], headers?: Record<string, string>): Promise<RpcErrorObject>;
  /** A request to the native API `/api/v1/accounts/{accountId}<path>` with the same key. */
  native(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    payload?: unknown,
  ): Promise<LightMyRequestResponse>;
}

let nextId = 1;

/** Posts one JSON-RPC request with the given headers (no credentials unless given). */
export async function postRpc<T = unknown>(
  inject: Inject,
  method: string,
  params: unknown[] = [],
  headers: Record<string, string> = {},
): Promise<RpcAnswer<T>> {
  const id = nextId++;
  const response = await inject({
    method: 'POST',
    url: CALLR_RPC_PATH,
    headers: { 'content-type': 'application/json-rpc; charset=utf-8', ...headers },
    payload: JSON.stringify({ id, jsonrpc: '2.0', method, params }),
  });
  if (response.statusCode !== 200) {
    throw new Error(`${method}: HTTP ${response.statusCode} ${response.body}`);
  }
  const answer = response.json<RpcAnswer<T>>();
  if (answer.id !== id) throw new Error(`${method}: the answer's id ${answer.id} is not the request's ${id}`);
  return answer;
}

/** A Parley with accounts to talk to through the CALLR face. */
export async function createCallrTestApp(overrides: Partial<Config> = {}): Promise<{
  app: TestApp;
  inject: Inject;
  account(name: string): Promise<CallrTestAccount>;
}> {
  const app = await createTestApp(overrides);
  const inject = injector(app);
  return {
    app,
    inject,
    async account(name) {
      const { accountId, apiKey } = await seedAccount(app, name);
      const auth = { authorization: `Api-Key ${apiKey}` };
      const rpc = <T>(method: string, params: unknown[] = [], headers: Record<string, string> = {}) =>
        postRpc<T>(inject, method, params, { ...auth, ...headers });
      return {
        accountId,
        apiKey,
        rpc,
        async result<T>(method: string, params: unknown[] = [], headers: Record<string, string> = {}) {
          const answer = await rpc<T>(method, params, headers);
          if (answer.error) throw new Error(`${method} failed: ${answer.error.code} ${answer.error.message}`);
          return answer.result as T;
        },
        async error(method, params = [], headers = {}) {
          const answer = await rpc(method, params, headers);
          if (!answer.error)
            throw new Error(`${method} succeeded but should have failed: ${JSON.stringify(answer.result)}`);
          return answer.error;
        },
        native: (method, path, payload) =>
          inject({
            method,
            url: `/api/v1/accounts/${accountId}${path}`,
            headers: { authorization: `Bearer ${apiKey}` },
            ...(payload !== undefined && { payload: payload as string }),
          }),
      };
    },
  };
}

/** CALLR `RT.Request`, as a REALTIME10 app's server receives it. */
export interface RtRequest {
  app: string;
  call_status: string;
  callid: number;
  cdr_field: string;
  cli_number: string;
  command: string;
  command_error: string;
  command_id: unknown;
  command_result: string;
  date_started: string;
  number: string;
  request_hash: string;
  variables: Record<string, unknown>;
}

/** A test server's JSON answer (an RT.Response). */
export const jsonAnswer = (body: unknown) => ({
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** The app's carrier simulator: tests force outcomes and ring DIDs on it. */
export function simulatorOf(app: TestApp): CarrierSimulator {
  const runtime = telephonyRuntimeOf(app.parley.ctx.config);
  if (!runtime) throw new Error('no telephony runtime');
  return runtime.simulator;
}

/**
 * A Parley allowed to call loopback, and a real local HTTP server answering REALTIME10 apps'
 * RT.Requests with `behaviour` (start the background workers once the accounts are made).
 */
export async function createRealtimeTestBed(behaviour: ReceiverBehaviour, overrides: Partial<Config> = {}) {
  const receiver = await startWebhookReceiver(behaviour);
  const kit = await createCallrTestApp({ PARLEY_OUTBOUND_ALLOWLIST: ['127.0.0.1/32'], ...overrides });
  return {
    ...kit,
    receiver,
    /** The RT.Requests the server received on `path`, in order. */
    rtRequests(path: string): RtRequest[] {
      return receiver.received
        .filter((entry) => entry.path === path)
        .map((entry) => JSON.parse(entry.body) as RtRequest);
    },
    async close() {
      await kit.app.close();
      await receiver.close();
    },
  };
}
