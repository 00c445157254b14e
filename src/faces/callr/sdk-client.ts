import http, { type ClientRequestArgs } from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { createRequire } from 'node:module';
import { CALLR_RPC_PATH } from './index.js';

/**
 * The official CALLR Node SDK (npm `callr` 1.2.0, a dev dependency) pointed at a Parley, so tests
 * can prove the face works with the client CALLR customers actually run.
 *
 * The SDK hard-codes HTTPS on port 443 (`https.request` with `options.port = 443`) and only lets a
 * caller change `apiUrl` and pass `config.proxyAgent`. An `http:` apiUrl with a plain `http.Agent`
 * passes Node's protocol check; the agent then connects to Parley's real port whatever port the
 * SDK asked for. Nothing else of the SDK is bypassed: its body, headers and Basic auth go out as is.
 */

interface SdkError extends Error {
  code: number | string;
  data: unknown;
}

/** The chainable request the SDK returns: `api.call(...).success(cb).error(cb)`. */
interface SdkRequest {
  success(callback: (result: unknown) => void): SdkRequest;
  error(callback: (error: SdkError) => void): SdkRequest;
}

interface SdkApi {
  apiUrl: string;
  call(method: string, ...params: unknown[]): SdkRequest;
  send(method: string, params: unknown[], id?: number): SdkRequest;
  setLoginAs(type: 'user' | 'account', target: string): void;
}

interface SdkModule {
  api: new (login: string, password: string, config?: { proxyAgent?: http.Agent }) => SdkApi;
}

const sdk = createRequire(import.meta.url)('callr') as SdkModule;

/** An error the SDK reported: a JSON-RPC error (numeric code) or a transport one (code -1). */
export class CallrSdkError extends Error {
  constructor(
    message: string,
    readonly code: number | string,
    readonly data: unknown,
  ) {
    super(message);
    this.name = 'CallrSdkError';
  }
}

class FixedPortAgent extends http.Agent {
  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {
    super({ keepAlive: false });
  }

  override createConnection(
    _options: ClientRequestArgs,
    callback?: (error: Error | null, stream: Duplex) => void,
  ): Duplex {
    const socket = net.createConnection({ host: this.host, port: this.port });
    if (callback) {
      socket.once('connect', () => callback(null, socket));
      socket.once('error', (error) => callback(error, socket));
    }
    return socket;
  }
}

export interface CallrSdkClient {
  /** Calls `method` with positional params through the SDK; rejects with a CallrSdkError. */
  call<T = unknown>(method: string, ...params: unknown[]): Promise<T>;
  /** Sends `CALLR-Login-As` on the following calls (the SDK's own setLoginAs). */
  loginAs(type: 'user' | 'account', target: string): void;
  /** The SDK instance, for what the wrapper does not cover. */
  readonly api: SdkApi;
}

/**
 * A CALLR SDK client for the Parley at `baseUrl` (e.g. "http://127.0.0.1:43123"), authenticating
 * as `login` / `password` (a user's email and password, or any login with an API key as password).
 */
export function createCallrSdkClient(baseUrl: string, login: string, password: string): CallrSdkClient {
  const url = new URL(baseUrl);
  if (url.protocol !== 'http:') throw new Error(`the SDK harness speaks plain HTTP, got ${baseUrl}`);
  const agent = new FixedPortAgent(url.hostname, Number(url.port || 80));
  const api = new sdk.api(login, password, { proxyAgent: agent });
  api.apiUrl = new URL(CALLR_RPC_PATH, url).toString();
  return {
    api,
    loginAs: (type, target) => api.setLoginAs(type, target),
    call<T>(method: string, ...params: unknown[]) {
      return new Promise<T>((resolve, reject) => {
        // On a non-200 answer the SDK calls `error` twice (status, then body): the first wins.
        api
          .call(method, ...params)
          .success((result) => resolve(result as T))
          .error((error) => reject(new CallrSdkError(error.message, error.code, error.data)));
      });
    },
  };
}
