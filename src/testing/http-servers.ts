import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Real loopback HTTP servers for the outbound tests: the guard is about sockets and DNS, so
 * the tests talk to a real listener rather than a mocked dispatcher.
 */
export interface TestServer {
  port: number;
  /** A URL on this server; `host` lets a test reach it by another name such as localhost. */
  url(path?: string, host?: string): string;
  close(): Promise<void>;
}

export async function startServer(handler: RequestListener): Promise<TestServer> {
  const server = createServer(handler);
  const port = await listen(server);
  return {
    port,
    url: (path = '/', host = '127.0.0.1') => `http://${host}:${port}${path}`,
    close: () => closeServer(server),
  };
}

/** A port nothing listens on: bound, then released, so connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await closeServer(server);
  return port;
}

/** Writes chunks until the client goes away; a body no cap could ever buffer whole. */
export const endlessBody: RequestListener = (_request, response) => {
  const chunk = Buffer.alloc(16 * 1024, 'x');
  response.writeHead(200, { 'content-type': 'application/octet-stream' });
  const pump = (): void => {
    let flowing = true;
    while (flowing && !response.destroyed) flowing = response.write(chunk);
    if (!response.destroyed) response.once('drain', pump);
  };
  pump();
};

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    // Hanging and streaming handlers never end their responses on their own.
    server.closeAllConnections();
    server.close(() => {
      resolve();
    });
  });
}
