import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/**
 * Runs an external program (ffmpeg, pocketsphinx) with an argument array, never a shell, so a
 * file name can never become a command. Output is capped so a chatty tool cannot exhaust memory.
 */
export interface ToolRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Bytes written to stdout when it is counted rather than kept (see `countStdoutOnly`). */
  stdoutBytes: number;
}

export interface RunToolOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Keep only the byte count of stdout: used to measure decoded PCM without buffering it. */
  countStdoutOnly?: boolean;
  /** Stdout kept at most; a longer output fails the run rather than silently losing its end. */
  maxStdoutChars?: number;
}

// Only the end of stderr is kept: that is where tools explain why they stopped.
const STDERR_TAIL_CHARS = 64 * 1024;

export class ToolAbortedError extends Error {
  override name = 'ToolAbortedError';
}

export function runTool(
  binary: string,
  args: readonly string[],
  options: RunToolOptions = {},
): Promise<ToolRun> {
  const maxStdout = options.maxStdoutChars ?? 64 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new ToolAbortedError(`${binary} was not started: the work was cancelled`));
      return;
    }
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let stdoutBytes = 0;
    let abortedBy: string | null = null;

    const kill = (why: string): void => {
      abortedBy = why;
      child.kill('SIGKILL');
    };
    const onAbort = (): void => kill('cancelled');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => kill(`timed out after ${options.timeoutMs} ms`), options.timeoutMs);

    child.stdout.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (options.countStdoutOnly) return;
      stdout += chunk.toString('utf8');
      if (stdout.length > maxStdout) kill(`wrote more than ${maxStdout} characters of output`);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL_CHARS);
    });

    const settle = (): void => {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    child.once('error', (error) => {
      settle();
      reject(error);
    });
    child.once('close', (exitCode, signal) => {
      settle();
      if (abortedBy !== null) {
        reject(new ToolAbortedError(`${binary} stopped: ${abortedBy}`));
        return;
      }
      resolve({ exitCode, signal, stdout, stderr, stdoutBytes });
    });
  });
}

/** The absolute path of an executable: as configured, or the first match on PATH; null when absent. */
export function findExecutable(nameOrPath: string, pathEnv = process.env.PATH ?? ''): string | null {
  const candidates =
    isAbsolute(nameOrPath) || nameOrPath.includes('/')
      ? [nameOrPath]
      : pathEnv
          .split(delimiter)
          .filter((dir) => dir.length > 0)
          .map((dir) => join(dir, nameOrPath));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; try the next directory
    }
  }
  return null;
}

/** The last meaningful lines of a tool's stderr, for error messages a person can read. */
export function stderrTail(stderr: string, lines = 3): string {
  return stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .slice(-lines)
    .join('; ');
}
