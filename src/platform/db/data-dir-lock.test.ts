import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { DataDirLockedError, lockDataDir } from './data-dir-lock.js';

describe('embedded data directory lock', () => {
  const dirs: string[] = [];
  const makeDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'parley-lock-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a directory held by another live process, naming its pid', async () => {
    const dir = makeDir();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)']);
    writeFileSync(path.join(dir, 'parley.pid'), String(other.pid));

    try {
      expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
      expect(() => lockDataDir(dir)).toThrow(`pid ${other.pid}`);
    } finally {
      other.kill('SIGKILL');
      await new Promise((resolve) => other.once('exit', resolve));
    }
  });

  it('takes over a lock left by a process that died, and releases it', () => {
    const dir = makeDir();
    writeFileSync(path.join(dir, 'parley.pid'), '999999999');

    const lockFile = path.join(dir, 'parley.pid');

    const unlock = lockDataDir(dir);
    const heldBy = readFileSync(lockFile, 'utf8');
    unlock();

    expect(heldBy).toBe(String(process.pid));
    expect(existsSync(lockFile)).toBe(false);
  });
});
