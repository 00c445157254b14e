import {
  bigint,
  boolean,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { accounts } from '../identity/identity.tables.js';

export const signatureAlgorithms = ['sha256', 'sha1', 'md5', 'sha512'] as const;
export type SignatureAlgorithm = (typeof signatureAlgorithms)[number];

/** Where an account wants its events sent, and in which face's format. */
export const webhookSubscriptions = pgTable(
  'webhook_subscriptions',
  {
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    id: bigint('id', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    /** A stable public id for faces whose subscriptions are addressed by UUID (Dixa). */
    uuid: uuid('uuid').notNull().defaultRandom(),
    /** The face whose payload format and signature scheme deliveries use. */
    format: text('format').notNull().default('native'),
    name: text('name'),
    url: text('url').notNull(),
    /** Event types delivered; an empty list means every event. */
    events: text('events').array().notNull().default([]),
    enabled: boolean('enabled').notNull().default(true),
    /** Sealed (secret-box.ts) once `secretsSealed`; rows from before encryption are sealed on first read. */
    secret: text('secret').notNull(),
    secretsSealed: boolean('secrets_sealed').notNull().default(false),
    signatureAlgorithm: text('signature_algorithm', { enum: signatureAlgorithms })
      .notNull()
      .default('sha256'),
    /** Face-specific settings (e.g. an inbox the subscription is bound to). */
    options: jsonb('options').$type<Record<string, unknown>>().notNull().default({}),
    disabledReason: text('disabled_reason'),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    /** Start of the current unbroken run of failed deliveries; null after any success. */
    failingSince: timestamp('failing_since', { withTimezone: true }),
    consecutiveFailures: integer('consecutive_failures').notNull().default(0),
    /** Circuit breaker: null closed; future open (deliveries wait); past half-open (next one probes). */
    circuitOpenUntil: timestamp('circuit_open_until', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.accountId, table.id] }),
    uniqueIndex('webhook_subscriptions_uuid_key').on(table.accountId, table.uuid),
  ],
);

export const deliveryStates = ['pending', 'succeeded', 'failed', 'cancelled'] as const;
export type DeliveryState = (typeof deliveryStates)[number];

/** One event sent to one subscription; its id is stable across attempts so receivers can dedupe. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    accountId: bigint('account_id', { mode: 'number' }).notNull(),
    id: uuid('id').notNull().defaultRandom(),
    subscriptionId: bigint('subscription_id', { mode: 'number' }).notNull(),
    eventId: bigint('event_id', { mode: 'number' }),
    eventType: text('event_type').notNull(),
    /** The exact bytes sent, so the signature can be recomputed and shown. */
    body: text('body').notNull(),
    state: text('state', { enum: deliveryStates }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (table) => [
    primaryKey({ columns: [table.accountId, table.id] }),
    index('webhook_deliveries_subscription_idx').on(table.accountId, table.subscriptionId, table.createdAt),
    // The latest deliveries of one event type (Dixa's per-event delivery status and logs).
    index('webhook_deliveries_event_type_idx').on(
      table.accountId,
      table.subscriptionId,
      table.eventType,
      table.createdAt,
    ),
    // Every delivery of one event (CALLR's log search by event_id).
    index('webhook_deliveries_event_idx').on(table.accountId, table.eventId),
    foreignKey({
      columns: [table.accountId, table.subscriptionId],
      foreignColumns: [webhookSubscriptions.accountId, webhookSubscriptions.id],
    }).onDelete('cascade'),
  ],
);

/** Every HTTP attempt of a delivery, for the customer's delivery log. */
export const webhookDeliveryAttempts = pgTable(
  'webhook_delivery_attempts',
  {
    accountId: bigint('account_id', { mode: 'number' }).notNull(),
    deliveryId: uuid('delivery_id').notNull(),
    attempt: integer('attempt').notNull(),
    statusCode: integer('status_code'),
    latencyMs: integer('latency_ms').notNull(),
    responseSnippet: text('response_snippet'),
    error: text('error'),
    attemptedAt: timestamp('attempted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.accountId, table.deliveryId, table.attempt] }),
    // An account's attempts by time (CALLR's webhooks/log.search over all its webhooks).
    index('webhook_delivery_attempts_time_idx').on(table.accountId, table.attemptedAt),
    foreignKey({
      columns: [table.accountId, table.deliveryId],
      foreignColumns: [webhookDeliveries.accountId, webhookDeliveries.id],
    }).onDelete('cascade'),
  ],
);

export type WebhookSubscriptionRow = typeof webhookSubscriptions.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;
