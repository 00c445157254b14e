import { readMigrationFiles, type MigrationMeta } from 'drizzle-orm/migrator';
import { sql } from 'drizzle-orm';
import { migrationsFolder } from './migrations-folder.js';
import { queryRows, type Db } from './database.js';

// Any constant works; it only has to be the same on every node.
const MIGRATION_LOCK_KEY = 7_214_993_001;

let cachedMigrations: MigrationMeta[] | undefined;
function migrationFiles(): MigrationMeta[] {
  cachedMigrations ??= readMigrationFiles({ migrationsFolder });
  return cachedMigrations;
}

export interface MigrationResult {
  applied: number;
  total: number;
}

/**
 * Applies pending migrations in one transaction under an advisory lock, so several nodes
 * starting together apply each migration exactly once and the others wait, then see it done.
 */
export async function migrate(db: Db): Promise<MigrationResult> {
  const migrations = migrationFiles();
  let applied = 0;
  await db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
    await tx.execute(sql`CREATE TABLE IF NOT EXISTS parley_migrations (
      hash text PRIMARY KEY,
      created_at bigint NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const done = await queryRows<{ hash: string }>(tx, sql`SELECT hash FROM parley_migrations`);
    const doneHashes = new Set(done.map((row) => row.hash));
    for (const migration of migrations) {
      if (doneHashes.has(migration.hash)) continue;
      for (const statement of migration.sql) {
        if (statement.trim().length > 0) await tx.execute(sql.raw(statement));
      }
      await tx.execute(
        sql`INSERT INTO parley_migrations (hash, created_at) VALUES (${migration.hash}, ${migration.folderMillis})`,
      );
      applied += 1;
    }
  });
  return { applied, total: migrations.length };
}

/** True when every committed migration is recorded as applied. */
export async function isMigrated(db: Db): Promise<boolean> {
  const rows = await queryRows<{ count: string | number }>(
    db,
    sql`SELECT count(*) AS count FROM parley_migrations`,
  ).catch(() => [{ count: 0 }]);
  return Number(rows[0]?.count ?? 0) >= migrationFiles().length;
}
