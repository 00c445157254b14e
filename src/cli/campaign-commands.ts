import { loadConfig } from '../platform/config.js';
import { openDatabase, type Db } from '../platform/db/database.js';
import { migrate } from '../platform/db/migrate.js';
import type { Actor } from '../platform/events/outbox.js';
import { findAccount } from '../core/identity/accounts.js';
import { createCampaign } from '../core/campaigns/campaigns.js';
import { campaignCreateSchema } from '../core/campaigns/campaign-settings.js';
import { parseOrFail } from '../core/campaigns/campaign-validation.js';
import type { DialingMode } from '../core/campaigns/campaigns.tables.js';
import { CliError, printJson, printLine } from './output.js';

const cliActor: Actor = { type: 'system', id: 'cli' };

async function withDatabase<T>(work: (db: Db) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = await openDatabase({
    url: config.DATABASE_URL,
    dataDir: config.PARLEY_DATA_DIR,
    poolSize: 2,
  });
  try {
    await migrate(database.db);
    return await work(database.db);
  } finally {
    await database.close();
  }
}

/** `parley campaign create`: a paused campaign, as the native API's POST …/campaigns makes it. */
export async function createCampaignCommand(options: {
  account: number;
  name: string;
  mode: DialingMode;
  timezone?: string;
  json?: boolean;
}): Promise<void> {
  const input = {
    name: options.name,
    mode: options.mode,
    ...(options.timezone && { timezone: options.timezone }),
  };
  // Bad settings are refused before the database is opened.
  parseOrFail(campaignCreateSchema, input);
  const campaign = await withDatabase(async (db) => {
    if (!(await findAccount(db, options.account))) throw new CliError(`account ${options.account} not found`);
    return createCampaign(db, options.account, input, 'cli', cliActor);
  });
  if (options.json) {
    return printJson({
      campaignId: campaign.id,
      accountId: campaign.accountId,
      name: campaign.name,
      mode: campaign.mode,
      isPaused: campaign.isPaused,
    });
  }
  printLine(
    `Campaign ${campaign.id} created in account ${campaign.accountId}: ${campaign.name} (${campaign.mode}).`,
  );
  printLine('It is paused: nothing is dialled until it is played.');
}
