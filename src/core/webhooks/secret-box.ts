import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { instanceSecret } from '../../platform/auth/instance-secrets.js';
import { webhookSubscriptions, type WebhookSubscriptionRow } from './webhooks.tables.js';

/**
 * A subscription's credentials are kept encrypted: its signing `secret` and, under
 * `options.secrets`, whatever a face must send to the receiver (Dixa's Basic or Bearer
 * authorization). AES-256-GCM under a key derived from an instance secret, so a database dump
 * alone does not reveal them and a tampered value fails to open. They are opened only when a
 * subscription is read through this module (to sign, deliver or show what the face's API shows).
 * Rows written before encryption (`secrets_sealed` false) are read as they are and sealed in
 * place the first time one is read.
 */
export const SEALED_OPTIONS_KEY = 'secrets';

const SECRET_NAME = 'webhook-credentials';
const FORMAT = 'v1';

// Per database handle: an instance secret never changes once created.
const keys = new WeakMap<Db, Promise<Buffer>>();

export function webhookSecretKey(db: Db): Promise<Buffer> {
  let key = keys.get(db);
  if (!key) {
    key = instanceSecret(db, SECRET_NAME).then((secret) =>
      createHash('sha256').update(`parley-webhook-credentials:${secret}`).digest(),
    );
    keys.set(db, key);
    key.catch(() => keys.delete(db));
  }
  return key;
}

export function seal(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const parts = [iv, cipher.getAuthTag(), sealed].map((part) => part.toString('base64url'));
  return [FORMAT, ...parts].join(':');
}

export function open(key: Buffer, value: string): string {
  const [format, iv = '', tag = '', sealed = ''] = value.split(':');
  if (format !== FORMAT) throw new Error('not a sealed webhook secret');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64url')), decipher.final()]).toString(
    'utf8',
  );
}

/** The columns to write for a secret and options given in clear (either may be absent). */
export function sealedFields(
  key: Buffer,
  input: { secret?: string | undefined; options?: Record<string, unknown> | undefined },
): { secret?: string; options?: Record<string, unknown> } {
  return {
    ...(input.secret !== undefined && { secret: seal(key, input.secret) }),
    ...(input.options !== undefined && { options: sealOptions(key, input.options) }),
  };
}

function sealOptions(key: Buffer, options: Record<string, unknown>): Record<string, unknown> {
  const secrets = options[SEALED_OPTIONS_KEY];
  if (secrets === undefined) return options;
  return { ...options, [SEALED_OPTIONS_KEY]: seal(key, JSON.stringify(secrets)) };
}

function openRow(key: Buffer, row: WebhookSubscriptionRow): WebhookSubscriptionRow {
  if (!row.secretsSealed) return row;
  const secrets = row.options[SEALED_OPTIONS_KEY];
  return {
    ...row,
    secret: open(key, row.secret),
    options:
      typeof secrets === 'string'
        ? { ...row.options, [SEALED_OPTIONS_KEY]: JSON.parse(open(key, secrets)) as unknown }
        : row.options,
  };
}

/**
 * The rows with their credentials in clear, for this process only. `sealLegacy` also encrypts,
 * in place, rows still stored in clear (not done where the caller is another module's
 * transaction, such as the fan-out's).
 */
export async function openSubscriptions(
  db: Db,
  rows: WebhookSubscriptionRow[],
  options: { sealLegacy: boolean } = { sealLegacy: true },
): Promise<WebhookSubscriptionRow[]> {
  if (rows.length === 0) return rows;
  const key = await webhookSecretKey(db);
  if (options.sealLegacy) {
    for (const row of rows.filter((candidate) => !candidate.secretsSealed)) {
      await db
        .update(webhookSubscriptions)
        .set({ ...sealedFields(key, row), secretsSealed: true })
        .where(
          and(
            eq(webhookSubscriptions.accountId, row.accountId),
            eq(webhookSubscriptions.id, row.id),
            sql`NOT ${webhookSubscriptions.secretsSealed}`,
          ),
        );
    }
  }
  return rows.map((row) => openRow(key, row));
}

export async function openSubscription(db: Db, row: WebhookSubscriptionRow): Promise<WebhookSubscriptionRow> {
  const [opened] = await openSubscriptions(db, [row]);
  return opened ?? row;
}
