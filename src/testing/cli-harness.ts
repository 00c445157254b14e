import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { configSchema } from '../platform/config.js';
import { openDatabase, type Db } from '../platform/db/database.js';
import { createTestDatabase } from './database.js';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const mainPath = path.join(projectRoot, 'src/cli/main.ts');

/** A fresh database the CLI reaches through its environment: a temp data dir, or a new server database. */
export interface CliTarget {
  env: Record<string, string>;
  /** Runs `work` on the same database; the embedded one is only opened while no CLI process has it. */
  withDb<T>(work: (db: Db) => Promise<T>): Promise<T>;
  cleanup(): Promise<void>;
}

export async function freshCliTarget(): Promise<CliTarget> {
  if (process.env.TEST_DATABASE_URL) {
    const testDb = await createTestDatabase();
    return {
      env: { DATABASE_URL: testDb.url ?? '' },
      withDb: (work) => work(testDb.database.db),
      cleanup: () => testDb.drop(),
    };
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), 'parley-cli-'));
  return {
    env: { PARLEY_DATA_DIR: dataDir },
    async withDb(work) {
      const database = await openDatabase({ dataDir });
      try {
        return await work(database.db);
      } finally {
        await database.close();
      }
    },
    cleanup: () => rm(dataDir, { recursive: true, force: true }),
  };
}

/** The caller's environment without any Parley setting, so only what a test passes applies. */
export function cleanCliEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(configSchema.shape)) Reflect.deleteProperty(env, key);
  return { ...env, LOG_LEVEL: 'silent', ...extra };
}

/** Starts `parley <args>` from the sources, its output piped (a server a test stops itself). */
export function startCli(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', mainPath, ...args], {
    cwd: projectRoot,
    env: cleanCliEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `parley <args>` from the sources to its end; its exit code and output. */
export function runCli(args: string[], env: Record<string, string>): Promise<CliRun> {
  const child = startCli(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
