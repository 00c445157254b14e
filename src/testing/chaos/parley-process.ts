import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { closedPort } from '../http-servers.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const cliEntry = path.join(projectRoot, 'src/cli/main.ts');

export const CHAOS_PLATFORM_TOKEN = 'chaos-platform-token-0123456789';

export interface ParleyProcessOptions {
  /** A PostgreSQL URL; without it, the embedded database in `dataDir`. */
  databaseUrl?: string;
  /** The data directory, kept across restarts so the embedded database and the node id survive. */
  dataDir: string;
  /** Extra environment (timeouts, concurrency). */
  env?: Record<string, string>;
}

/**
 * A real `parley serve` in a child process, so a test can kill it with SIGKILL (no handler runs,
 * no lease is released) and start it again on the same database and data directory, as an
 * operator's supervisor would.
 */
export class ParleyProcess {
  private child: ChildProcess | undefined;
  private output = '';
  port = 0;

  constructor(private readonly options: ParleyProcessOptions) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts the server and resolves once `/ready` answers 200. */
  async start({ timeoutMs = 90_000 }: { timeoutMs?: number } = {}): Promise<void> {
    this.port = this.port || (await closedPort());
    this.output = '';
    const child = spawn(process.execPath, ['--import', 'tsx', cliEntry, 'serve'], {
      cwd: projectRoot,
      env: {
        ...process.env,
        PORT: String(this.port),
        HOST: '127.0.0.1',
        PARLEY_DATA_DIR: this.options.dataDir,
        PARLEY_PLATFORM_TOKEN: CHAOS_PLATFORM_TOKEN,
        PARLEY_OUTBOUND_ALLOWLIST: '127.0.0.1/32',
        PARLEY_JOB_POLL_MS: '200',
        LOG_LEVEL: 'warn',
        ...(this.options.databaseUrl ? { DATABASE_URL: this.options.databaseUrl } : {}),
        ...this.options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => this.remember(chunk));
    child.stderr.on('data', (chunk: Buffer) => this.remember(chunk));
    this.child = child;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(
          `parley exited (${child.exitCode ?? child.signalCode}) before ready:\n${this.output}`,
        );
      }
      if (await this.isReady()) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`parley was not ready after ${timeoutMs} ms:\n${this.output}`);
  }

  /** SIGKILL: the process gets no chance to finish requests, release leases or close files. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** SIGTERM, the graceful stop; resolves with the exit code. */
  async stop(): Promise<number | null> {
    return this.signal('SIGTERM');
  }

  /** What the server printed, for failure messages. */
  get log(): string {
    return this.output;
  }

  private async signal(signal: NodeJS.Signals): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill(signal);
    return exited;
  }

  private remember(chunk: Buffer): void {
    // Only the tail matters for a failure message; a chatty server must not grow this forever.
    this.output = (this.output + chunk.toString('utf8')).slice(-20_000);
  }

  private async isReady(): Promise<boolean> {
    try {
      const response = await fetch(`${this.baseUrl}/ready`, { signal: AbortSignal.timeout(1000) });
      return response.status === 200;
    } catch {
      return false;
    }
  }
}
