import { ConfigError } from '../platform/config.js';
import { isDomainError } from '../platform/errors.js';

/** Thrown for a bad command-line value that commander could not catch (e.g. an unknown user). */
export class CliError extends Error {}

export function printLine(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** One JSON document on stdout and nothing else, so scripts can parse it. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** `error: <message>` on stderr, in commander's own style; exit code 1. */
export function reportError(error: unknown): void {
  process.exitCode = 1;
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    return;
  }
  if (isDomainError(error) || error instanceof CliError) {
    process.stderr.write(`error: ${error.message}\n`);
    return;
  }
  // Anything else is unexpected (a database that cannot be reached, a bug): the message, and its cause.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`error: ${message}\n`);
  if (error instanceof Error && error.cause instanceof Error)
    process.stderr.write(`  cause: ${error.cause.message}\n`);
}

/** Lets buffered output reach its destination before the process exits; a closed pipe is not an error here. */
export function flushOutput(): Promise<void> {
  const flush = (stream: NodeJS.WriteStream) =>
    new Promise<void>((resolve) => {
      if (stream.destroyed || !stream.writable) {
        resolve();
        return;
      }
      stream.once('error', () => resolve());
      stream.write('', () => resolve());
    });
  return Promise.all([flush(process.stdout), flush(process.stderr)]).then(() => undefined);
}
