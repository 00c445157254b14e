import { z } from 'zod';
import type { AccountRow } from '../../../core/identity/identity.tables.js';

/**
 * Seed `account_show_response` (= `account_detail` + version and subscribed features). No field
 * there is nullable: a domain, support email or auto-resolve setting never set is left out.
 */
export const chatwootAccountSchema = z.object({
  id: z.number(),
  name: z.string(),
  locale: z.string(),
  domain: z.string().optional(),
  support_email: z.string().optional(),
  status: z.string(),
  created_at: z.string(),
  cache_keys: z.record(z.string(), z.unknown()),
  features: z.array(z.string()),
  settings: z.object({
    auto_resolve_after: z.number().optional(),
    auto_resolve_message: z.string().optional(),
    auto_resolve_ignore_waiting: z.boolean().optional(),
  }),
  custom_attributes: z.record(z.string(), z.unknown()),
  latest_chatwoot_version: z.string(),
  subscribed_features: z.array(z.string()),
});

/** Seed `platform_account`. */
export const chatwootPlatformAccountSchema = z.object({ id: z.number(), name: z.string() });

/** The Chatwoot release whose API this face follows, for clients that check it. */
export const CHATWOOT_COMPATIBLE_VERSION = '4.0.0';

function setting<T>(
  settings: Record<string, unknown>,
  key: string,
  guard: (value: unknown) => value is T,
): T | undefined {
  const value = settings[key];
  return guard(value) ? value : undefined;
}

const isNumber = (value: unknown): value is number => typeof value === 'number';
const isString = (value: unknown): value is string => typeof value === 'string';
const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';

export function toChatwootAccount(row: AccountRow): z.infer<typeof chatwootAccountSchema> {
  return {
    id: row.id,
    name: row.name,
    locale: row.locale,
    domain: row.domain ?? undefined,
    support_email: row.supportEmail ?? undefined,
    status: row.status,
    created_at: row.createdAt.toISOString(),
    cache_keys: {},
    features: [],
    settings: {
      auto_resolve_after: setting(row.settings, 'auto_resolve_after', isNumber),
      auto_resolve_message: setting(row.settings, 'auto_resolve_message', isString),
      auto_resolve_ignore_waiting: setting(row.settings, 'auto_resolve_ignore_waiting', isBoolean),
    },
    custom_attributes: row.customAttributes,
    latest_chatwoot_version: CHATWOOT_COMPATIBLE_VERSION,
    subscribed_features: [],
  };
}

export function toChatwootPlatformAccount(row: AccountRow): z.infer<typeof chatwootPlatformAccountSchema> {
  return { id: row.id, name: row.name };
}
