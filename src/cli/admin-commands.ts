import { z } from 'zod';
import { loadConfig } from '../platform/config.js';
import { openDatabase, type Db } from '../platform/db/database.js';
import { migrate } from '../platform/db/migrate.js';
import type { Actor } from '../platform/events/outbox.js';
import { createAccount, findAccount } from '../core/identity/accounts.js';
import { createApiKey } from '../core/identity/api-keys.js';
import { createAccessToken, revokeAccessToken } from '../core/identity/access-tokens.js';
import type { Role } from '../core/identity/identity.tables.js';
import { addMember } from '../core/identity/members.js';
import { createUser, findUserByEmail } from '../core/identity/users.js';
import { CliError, printJson, printLine } from './output.js';

/** What the command line did, as stored with the events it causes. */
const cliActor: Actor = { type: 'system', id: 'cli' };

/** Opens the database named by the environment, runs `work`, closes it. */
async function withOpenDatabase<T>(work: (db: Db) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = await openDatabase({
    url: config.DATABASE_URL,
    dataDir: config.PARLEY_DATA_DIR,
    poolSize: 2,
  });
  try {
    return await work(database.db);
  } finally {
    await database.close();
  }
}

/** The same, with pending migrations applied first. */
function withDatabase<T>(work: (db: Db) => Promise<T>): Promise<T> {
  return withOpenDatabase(async (db) => {
    await migrate(db);
    return work(db);
  });
}

export async function migrateCommand(): Promise<void> {
  const result = await withOpenDatabase((db) => migrate(db));
  printLine(
    result.applied > 0
      ? `Applied ${result.applied} migration(s); ${result.total} in total.`
      : `Database is up to date (${result.total} migration(s)).`,
  );
}

export async function createAccountCommand(options: { name: string; locale?: string; json?: boolean }) {
  const { account, token } = await withDatabase((db) =>
    db.transaction(async (tx) => {
      const created = await createAccount(tx, { name: options.name, locale: options.locale }, cliActor);
      const key = await createApiKey(
        tx,
        { accountId: created.id, name: 'cli', role: 'administrator' },
        cliActor,
      );
      return { account: created, token: key.token };
    }),
  );
  if (options.json) return printJson({ accountId: account.id, apiKey: token });
  printLine(`Account ${account.id} created: ${account.name} (${account.locale}).`);
  printLine('Administrator API key (shown once, store it now):');
  printLine(`  ${token}`);
}

const emailSchema = z.email().max(320);
const passwordSchema = z.string().min(8, 'the password must be at least 8 characters').max(200);

export async function createUserCommand(options: {
  email: string;
  name: string;
  password?: string;
  account?: number;
  role?: Role;
  json?: boolean;
}) {
  if (!emailSchema.safeParse(options.email).success) throw new CliError(`invalid email '${options.email}'`);
  if (options.password !== undefined) {
    const password = passwordSchema.safeParse(options.password);
    if (!password.success) throw new CliError(password.error.issues[0]?.message ?? 'invalid password');
  }
  if (options.role && options.account === undefined) throw new CliError('--role needs --account <id>');
  const role = options.account === undefined ? undefined : (options.role ?? 'agent');

  const user = await withDatabase((db) =>
    db.transaction(async (tx) => {
      if (options.account !== undefined && !(await findAccount(tx, options.account))) {
        throw new CliError(`account ${options.account} not found`);
      }
      const created = await createUser(tx, {
        email: options.email,
        name: options.name,
        password: options.password,
      });
      if (options.account !== undefined && role) {
        await addMember(tx, { accountId: options.account, userId: created.id, role }, cliActor);
      }
      return created;
    }),
  );
  if (options.json) {
    return printJson({
      userId: user.id,
      email: user.email,
      accountId: options.account ?? null,
      role: role ?? null,
    });
  }
  printLine(`User ${user.id} created: ${user.email}.`);
  if (role) printLine(`Member of account ${options.account ?? ''} as ${role}.`);
  if (!options.password) printLine('No password set: the user signs in with a token (parley token create).');
}

async function requireUserId(db: Db, email: string): Promise<number> {
  const user = await findUserByEmail(db, email);
  if (!user) throw new CliError(`no user with email ${email}`);
  return user.id;
}

export async function createTokenCommand(options: { email: string; name?: string; json?: boolean }) {
  const created = await withDatabase(async (db) =>
    createAccessToken(db, { userId: await requireUserId(db, options.email), name: options.name ?? 'cli' }),
  );
  if (options.json) return printJson({ id: created.accessToken.id, token: created.token });
  printLine(`Personal access token ${created.accessToken.id} created for ${options.email} (shown once):`);
  printLine(`  ${created.token}`);
}

export async function revokeTokenCommand(options: { email: string; id: number }) {
  const revoked = await withDatabase(async (db) =>
    revokeAccessToken(db, await requireUserId(db, options.email), options.id),
  );
  printLine(`Token ${revoked.id} of ${options.email} is revoked.`);
}

/** `parley campaign create` lives with the campaign commands; exported here for the lazy loader. */
export { createCampaignCommand } from './campaign-commands.js';
export { importNumbersCommand } from './numbers-commands.js';
