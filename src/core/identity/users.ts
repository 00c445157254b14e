import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { hashPassword } from '../../platform/auth/passwords.js';
import { users, type Availability, type UserRow } from './identity.tables.js';

export interface CreateUserInput {
  name: string;
  email: string;
  password?: string | undefined;
  /** An already hashed password, so the slow KDF can run before a transaction opens. */
  passwordHash?: string | undefined;
  displayName?: string | undefined;
  customAttributes?: Record<string, unknown> | undefined;
}

/** The user as any API may show it: never the password hash. */
export type PublicUser = Omit<UserRow, 'passwordHash'>;

export function toPublicUser(user: UserRow): PublicUser {
  const { passwordHash: _passwordHash, ...rest } = user;
  return rest;
}

export async function createUser(db: Db, input: CreateUserInput): Promise<UserRow> {
  const passwordHash = input.passwordHash ?? (input.password ? await hashPassword(input.password) : null);
  const [user] = await db
    .insert(users)
    .values({
      name: input.name,
      email: input.email.trim(),
      displayName: input.displayName ?? null,
      passwordHash,
      customAttributes: input.customAttributes ?? {},
    })
    .onConflictDoNothing()
    .returning();
  if (!user) {
    throw new DomainError('CONFLICT', `A user with email ${input.email} already exists`, [
      { path: 'email', message: 'has already been taken' },
    ]);
  }
  return user;
}

export async function findUser(db: Db, userId: number): Promise<UserRow | null> {
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  return user ?? null;
}

export async function getUser(db: Db, userId: number): Promise<UserRow> {
  const user = await findUser(db, userId);
  if (!user) throw notFound('User');
  return user;
}

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | null> {
  const [user] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = lower(${email.trim()})`);
  return user ?? null;
}

export interface UpdateUserInput {
  name?: string | undefined;
  displayName?: string | null | undefined;
  availability?: Availability | undefined;
  password?: string | undefined;
  email?: string | undefined;
  /** Merged key by key into the stored custom attributes. */
  customAttributes?: Record<string, unknown> | undefined;
}

export async function updateUser(db: Db, userId: number, input: UpdateUserInput): Promise<UserRow> {
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  const [user] = await db
    .update(users)
    .set({
      ...(input.name !== undefined && { name: input.name }),
      ...(input.displayName !== undefined && { displayName: input.displayName }),
      ...(input.availability !== undefined && { availability: input.availability }),
      ...(passwordHash !== undefined && { passwordHash }),
      ...(input.email !== undefined && { email: input.email.trim() }),
      ...(input.customAttributes !== undefined && {
        customAttributes: sql`${users.customAttributes} || ${JSON.stringify(input.customAttributes)}::jsonb`,
      }),
      updatedAt: sql`now()`,
    })
    .where(eq(users.id, userId))
    .returning();
  if (!user) throw notFound('User');
  return user;
}
