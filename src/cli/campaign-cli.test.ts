import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshCliTarget, runCli, type CliTarget } from '../testing/cli-harness.js';
import { loadCampaign } from '../core/campaigns/campaigns.js';

// PGlite lets one process at a time open a data dir: every CLI run is awaited before the next.
describe('parley campaign create', { timeout: 240_000 }, () => {
  let target: CliTarget;
  let accountId: number;

  beforeAll(async () => {
    target = await freshCliTarget();
    const run = await runCli(['account', 'create', '--name', 'Dialers', '--json'], target.env);
    accountId = (JSON.parse(run.stdout) as { accountId: number }).accountId;
  }, 240_000);
  afterAll(() => target.cleanup());

  it('creates a paused campaign and prints its id', async () => {
    const run = await runCli(
      [
        'campaign',
        'create',
        '--account',
        String(accountId),
        '--name',
        'Winter',
        '--mode',
        'predictive',
        '--timezone',
        'Europe/Paris',
        '--json',
      ],
      target.env,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const output = JSON.parse(run.stdout) as { campaignId: number };
    expect(output).toEqual({
      campaignId: expect.any(Number),
      accountId,
      name: 'Winter',
      mode: 'predictive',
      isPaused: true,
    });
    const row = await target.withDb((db) => loadCampaign(db, accountId, output.campaignId));
    expect(row).toMatchObject({ name: 'Winter', timezone: 'Europe/Paris', createdBy: 'cli' });
  });

  it('refuses a bad mode, a bad time zone and an unknown account with exit code 1', async () => {
    const base = ['campaign', 'create', '--name', 'X'];
    const mode = await runCli([...base, '--account', String(accountId), '--mode', 'turbo'], target.env);
    expect(mode.code).toBe(1);
    expect(mode.stderr).toContain('--mode');
    const zone = await runCli(
      [...base, '--account', String(accountId), '--mode', 'preview', '--timezone', 'Mars/Base'],
      target.env,
    );
    expect(zone.code).toBe(1);
    expect(zone.stderr).toContain('timezone');
    const account = await runCli([...base, '--account', '999999', '--mode', 'preview'], target.env);
    expect(account.code).toBe(1);
    expect(account.stderr).toContain('account 999999 not found');
  });
});
