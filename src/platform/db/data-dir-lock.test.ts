import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn, type ChildProcess } from 'node:child_process';
import { DataDirLockedError, lockDataDir } from './data-dir-lock.js';
import { waitFor } from '../../testing/wait.js';

const moduleUrl = new URL('./data-dir-lock.ts', import.meta.url).href;
const projectRoot = fileURLToPath(new URL('../../..', import.meta.url));

/** A Node process that takes the lock through this module, says so, then does what `then` says. */
function holderScript(dir: string, then: 'wait' | 'crash'): string {
  return [
    `const { lockDataDir } = await import(${JSON.stringify(moduleUrl)});`,
    `await lockDataDir(${JSON.stringify(dir)});`,
    `console.log('locked ' + process.pid);`,
    then === 'crash' ? `process.kill(process.pid, 'SIGKILL');` : `setInterval(() => {}, 1000);`,
  ].join('\n');
}

const nodeArgs = (script: string) => ['--import', 'tsx', '--input-type=module', '-e', script];

/** Resolves with the holder's pid once it reports holding the lock. */
function lockedPid(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /locked (\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`holder exited (${code}) before locking: ${output}`)));
  });
}

function processState(pid: number): string | undefined {
  try {
    // /proc/<pid>/stat: "pid (comm) state ..."; comm may contain spaces, the state follows the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
}

function threadCount(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/task`).length;
  } catch {
    return 0;
  }
}

describe('embedded data directory lock', () => {
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  const makeDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'parley-lock-'));
    dirs.push(dir);
    return dir;
  };
  const start = (command: string, args: string[]) => {
    const child = spawn(command, args, { cwd: projectRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    return child;
  };
  const stop = async (child: ChildProcess) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  };
  afterEach(async () => {
    for (const child of children.splice(0)) await stop(child);
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a directory held by another live process, naming its pid, and takes it once that dies', async () => {
    const dir = makeDir();
    const holder = start(process.execPath, nodeArgs(holderScript(dir, 'wait')));
    const pid = await lockedPid(holder);

    await expect(lockDataDir(dir)).rejects.toThrow(DataDirLockedError);
    await expect(lockDataDir(dir)).rejects.toThrow(`pid ${pid}`);

    await stop(holder);
    const unlock = await lockDataDir(dir);
    expect(readFileSync(path.join(dir, 'parley.pid'), 'utf8')).toBe(String(process.pid));
    unlock();
  }, 20_000);

  it.skipIf(process.platform !== 'linux')(
    'takes over from a holder that died but is a zombie, its pid still alive',
    async () => {
      const dir = makeDir();
      // The shell starts the holder in the background, then becomes `sleep`, which never reaps it.
      const quoted = nodeArgs(holderScript(dir, 'crash'))
        .map((arg) => `'${arg.replaceAll("'", "'\\''")}'`)
        .join(' ');
      const parent = start('sh', ['-c', `'${process.execPath}' ${quoted} & exec sleep 60`]);
      const pid = await lockedPid(parent);
      // A killed multi-threaded process shows Z as soon as its main thread is gone, while its other
      // threads may still hold the shared file table (and so the socket) a moment longer.
      await waitFor(() => (processState(pid) === 'Z' && threadCount(pid) === 1 ? true : undefined), {
        timeoutMs: 10_000,
      });
      expect(() => process.kill(pid, 0)).not.toThrow();
      expect(readFileSync(path.join(dir, 'parley.pid'), 'utf8')).toBe(String(pid));

      const unlock = await lockDataDir(dir);

      expect(readFileSync(path.join(dir, 'parley.pid'), 'utf8')).toBe(String(process.pid));
      unlock();
    },
    20_000,
  );

  it('takes over a pid file naming a live process that holds no lock', async () => {
    const dir = makeDir();
    // Pids are reused: after a crash the file may name any live process (here, our parent).
    writeFileSync(path.join(dir, 'parley.pid'), String(process.ppid));

    const unlock = await lockDataDir(dir);

    expect(readFileSync(path.join(dir, 'parley.pid'), 'utf8')).toBe(String(process.pid));
    unlock();
  });

  it('lets exactly one of two simultaneous starters take over a stale lock', async () => {
    const dir = makeDir();
    const crashed = start(process.execPath, nodeArgs(holderScript(dir, 'wait')));
    await lockedPid(crashed);
    await stop(crashed);
    expect(existsSync(path.join(dir, 'parley.sock'))).toBe(true);

    const outcomes = await Promise.allSettled([lockDataDir(dir), lockDataDir(dir), lockDataDir(dir)]);

    const winners = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const losers = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(winners).toHaveLength(1);
    expect(losers.map((loser) => loser.reason)).toEqual([
      expect.any(DataDirLockedError),
      expect.any(DataDirLockedError),
    ]);
    winners[0]?.value();
  }, 20_000);

  it('releases the lock, removing the socket and the pid file', async () => {
    const dir = makeDir();

    const unlock = await lockDataDir(dir);
    await expect(lockDataDir(dir)).rejects.toThrow(DataDirLockedError);
    unlock();

    expect(existsSync(path.join(dir, 'parley.pid'))).toBe(false);
    expect(existsSync(path.join(dir, 'parley.sock'))).toBe(false);
    const again = await lockDataDir(dir);
    again();
  });
});
