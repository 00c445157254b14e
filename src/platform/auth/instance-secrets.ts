import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { instanceSecrets } from './instance-secrets.tables.js';

/**
 * The named secret, created at random on first use. Kept in the database so every node and
 * every restart signs and verifies with the same key, without an operator having to set one.
 */
export async function instanceSecret(db: Db, name: string): Promise<string> {
  await db
    .insert(instanceSecrets)
    .values({ name, value: randomBytes(32).toString('base64url') })
    .onConflictDoNothing();
  const [row] = await db.select().from(instanceSecrets).where(eq(instanceSecrets.name, name));
  if (!row) throw new Error(`instance secret ${name} could not be created`);
  return row.value;
}
