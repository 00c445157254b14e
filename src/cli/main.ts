#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from 'commander';
import { createRequire } from 'node:module';
import { flushOutput, reportError } from './output.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

function positiveInteger(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new InvalidArgumentError('Not a positive integer.');
  }
  return Number(value);
}

function nonEmpty(value: string): string {
  if (value.trim().length === 0) throw new InvalidArgumentError('Must not be empty.');
  return value.trim();
}

type AdminCommands = typeof import('./admin-commands.js');

/**
 * Runs a one-shot command: its errors become `error: <message>` and exit code 1. Commands load
 * lazily, so `--help` and flag errors answer without loading the server and database drivers.
 */
function oneShot<K extends keyof AdminCommands>(name: K) {
  return async (...args: Parameters<AdminCommands[K]>): Promise<void> => {
    try {
      const commands = await import('./admin-commands.js');
      await (commands[name] as (...params: Parameters<AdminCommands[K]>) => Promise<void>)(...args);
    } catch (error) {
      reportError(error);
    }
    await flushOutput();
    // Nothing should be left running, but a stray handle must not keep a command hanging.
    process.exit();
  };
}

const program = new Command('parley')
  .description('Parley: an open-source contact-center platform.')
  .version(version)
  .showHelpAfterError('(add --help for usage)');

program
  .command('serve')
  .description('Start the HTTP server and background workers (creates an admin on an empty database)')
  .action(async () => {
    try {
      const [{ serve }, { loadConfig }] = await Promise.all([
        import('./serve.js'),
        import('../platform/config.js'),
      ]);
      await serve(loadConfig());
    } catch (error) {
      reportError(error);
      await flushOutput();
      process.exit();
    }
  });

program
  .command('migrate')
  .description('Apply pending database migrations and exit')
  .action(oneShot('migrateCommand'));

const account = program.command('account').description('Manage accounts');
account
  .command('create')
  .description('Create an account and print an administrator API key (shown once)')
  .requiredOption('--name <name>', 'account name', nonEmpty)
  .option('--locale <locale>', 'default locale, e.g. en or fr')
  .option('--json', 'print {"accountId","apiKey"} only')
  .action(oneShot('createAccountCommand'));

const user = program.command('user').description('Manage users');
user
  .command('create')
  .description('Create a user, optionally a member of an account')
  .requiredOption('--email <email>', 'email address (unique)')
  .requiredOption('--name <name>', 'full name', nonEmpty)
  .option('--password <password>', 'password for signing in (8 characters or more)')
  .option('--account <id>', 'add the user to this account', positiveInteger)
  .addOption(
    new Option('--role <role>', 'role in the account (default: agent)').choices(['administrator', 'agent']),
  )
  .option('--json', 'print the result as JSON')
  .action(oneShot('createUserCommand'));

const token = program.command('token').description("Manage users' personal access tokens");
token
  .command('create')
  .description('Create a personal access token for a user (shown once)')
  .requiredOption('--email <email>', "the user's email")
  .option('--name <name>', 'a label for the token', nonEmpty)
  .option('--json', 'print {"id","token"} only')
  .action(oneShot('createTokenCommand'));
token
  .command('revoke')
  .description('Revoke a personal access token')
  .requiredOption('--email <email>', "the user's email")
  .requiredOption('--id <tokenId>', 'the token id', positiveInteger)
  .action(oneShot('revokeTokenCommand'));

const campaign = program.command('campaign').description('Manage outbound campaigns');
campaign
  .command('create')
  .description('Create an outbound campaign (it starts paused)')
  .requiredOption('--account <id>', 'the account', positiveInteger)
  .requiredOption('--name <name>', 'campaign name', nonEmpty)
  .addOption(
    new Option('--mode <mode>', 'dialing mode')
      .choices(['automatic', 'amd_progressive', 'progressive', 'predictive', 'preview'])
      .makeOptionMandatory(),
  )
  .option('--timezone <zone>', 'IANA time zone of the calling windows (default UTC)')
  .option('--json', 'print the campaign id and settings as JSON')
  .action(oneShot('createCampaignCommand'));

const numbers = program.command('numbers').description("Manage the instance's phone-number inventory");
numbers
  .command('import')
  .description('Load phone numbers (DIDs) into the store from a CSV file')
  .argument(
    '<file>',
    'CSV with a header row: number,country_code,type,class,local_prefix,area_label,monthly_cents',
  )
  .option('--json', 'print the counts as JSON')
  .action(oneShot('importNumbersCommand'));

await program.parseAsync(process.argv);
