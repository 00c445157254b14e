import type { AddressInfo } from 'node:net';
import { createParley, type Parley } from '../app.js';
import { publicUrl, type Config } from '../platform/config.js';
import { bootstrapIfEmpty, formatBootstrapBanner, type BootstrapResult } from './bootstrap.js';
import { flushOutput } from './output.js';

/**
 * After the first signal, shutdown gets this long before the process gives up and exits 1. The
 * app's own grace periods (about a second for requests and jobs) keep a normal shutdown well under
 * it; this only catches a close that hangs (a database that does not answer).
 */
const SHUTDOWN_TIMEOUT_MS = 5_000;

/** The address a person can open: a wildcard bind is reached through localhost. */
function displayUrl(config: Config, parley: Parley): string {
  if (config.PARLEY_PUBLIC_URL) return config.PARLEY_PUBLIC_URL.replace(/\/+$/, '');
  const address = parley.server.server.address() as AddressInfo | null;
  const port = address?.port ?? config.PORT;
  const isWildcard = config.HOST === '0.0.0.0' || config.HOST === '::';
  const host = isWildcard ? 'localhost' : config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
  return `http://${host}:${port}`;
}

export async function serve(config: Config): Promise<void> {
  const parley = await createParley({ config });
  const { logger } = parley.ctx;
  handleShutdownSignals(parley);
  let bootstrap: BootstrapResult | null = null;
  try {
    // Before listening, so a readiness probe that answers 200 means the first credentials exist.
    bootstrap = await bootstrapIfEmpty(parley.ctx.db);
    await parley.startBackground();
    await parley.server.listen({ port: config.PORT, host: config.HOST });
    const url = displayUrl(config, parley);
    logger.info({ url, database: parley.ctx.database.kind }, `Parley listening on ${url}`);
    if (bootstrap) process.stdout.write(formatBootstrapBanner(bootstrap, url));
  } catch (error) {
    // Credentials already made must still be shown: the next start will not make them again.
    if (bootstrap) process.stdout.write(formatBootstrapBanner(bootstrap, publicUrl(config)));
    await parley.close().catch((closeError: unknown) => logger.error({ err: closeError }, 'close failed'));
    throw error;
  }
}

/**
 * SIGTERM or SIGINT: stop accepting connections, give in-flight requests and running jobs a short
 * grace period (then close their sockets and abort them), close the database; exit 0. A second
 * signal or the timeout exits 1.
 */
function handleShutdownSignals(parley: Parley): void {
  const { logger } = parley.ctx;
  let isShuttingDown = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (isShuttingDown) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    isShuttingDown = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error({ timeoutMs: SHUTDOWN_TIMEOUT_MS }, 'shutdown timed out: exiting');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    void parley
      .close()
      .then(async () => {
        clearTimeout(timer);
        logger.info('shutdown complete');
        await flushOutput();
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
