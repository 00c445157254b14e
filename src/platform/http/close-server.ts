import type { FastifyInstance } from 'fastify';
import type {} from '@fastify/websocket';

/**
 * Closes the HTTP server in at most about `graceMs`. Fastify stops accepting, answers 503 to
 * requests arriving on kept-alive sockets and closes idle ones at once; @fastify/websocket sends
 * every WebSocket a close frame. What is still open when the grace period ends (an upload in
 * progress, a socket jammed by a half-sent body, a WebSocket client that never answers the close
 * frame) is destroyed, so a stuck client can never hold a shutdown for long.
 */
export async function closeHttpServer(app: FastifyInstance, graceMs: number): Promise<void> {
  const closing = app.close();
  const timer = setTimeout(() => {
    app.server.closeAllConnections();
    // Upgraded sockets are no longer the HTTP server's connections: end them one by one.
    const websockets = (app as { websocketServer?: FastifyInstance['websocketServer'] }).websocketServer;
    for (const client of websockets?.clients ?? []) client.terminate();
  }, graceMs);
  try {
    await closing;
  } finally {
    clearTimeout(timer);
  }
}
