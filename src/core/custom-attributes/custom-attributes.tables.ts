import { bigint, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { accounts } from '../identity/identity.tables.js';

export const attributeDisplayTypes = [
  'text',
  'number',
  'currency',
  'percent',
  'link',
  'date',
  'list',
  'checkbox',
] as const;
export type AttributeDisplayType = (typeof attributeDisplayTypes)[number];

export const attributeModels = ['conversation', 'contact'] as const;
export type AttributeModel = (typeof attributeModels)[number];

/** A typed custom attribute an account defines for contacts or conversations; values are validated against it. */
export const customAttributeDefinitions = pgTable(
  'custom_attribute_definitions',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    /** The id faces that speak UUIDs (Dixa) use for this definition. */
    uuid: uuid('uuid').notNull().defaultRandom(),
    attributeModel: text('attribute_model', { enum: attributeModels }).notNull(),
    attributeKey: text('attribute_key').notNull(),
    attributeDisplayName: text('attribute_display_name').notNull(),
    attributeDisplayType: text('attribute_display_type', { enum: attributeDisplayTypes }).notNull(),
    attributeDescription: text('attribute_description'),
    /** Allowed values of a `list` attribute. */
    attributeValues: jsonb('attribute_values').$type<string[]>().notNull().default([]),
    regexPattern: text('regex_pattern'),
    regexCue: text('regex_cue'),
    defaultValue: jsonb('default_value').$type<unknown>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('custom_attribute_definitions_key').on(
      table.accountId,
      table.attributeModel,
      table.attributeKey,
    ),
    uniqueIndex('custom_attribute_definitions_uuid_key').on(table.uuid),
  ],
);

export type CustomAttributeDefinitionRow = typeof customAttributeDefinitions.$inferSelect;
