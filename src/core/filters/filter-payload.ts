import { z } from 'zod';

export const filterOperators = [
  'equal_to',
  'not_equal_to',
  'contains',
  'does_not_contain',
  'starts_with',
  'is_present',
  'is_not_present',
  'is_greater_than',
  'is_less_than',
  'days_before',
] as const;
export type FilterOperator = (typeof filterOperators)[number];

// The Chatwoot UI sends some values as `{ id, name }` objects (agents, inboxes); the id is what counts.
const filterValueSchema = z.union([
  z.string().max(1000),
  z.number(),
  z.boolean(),
  z.object({ id: z.union([z.string().max(1000), z.number()]) }).transform((value) => value.id),
]);
export type FilterValue = string | number | boolean;

export const filterConditionSchema = z.object({
  attribute_key: z.string().min(1).max(100),
  filter_operator: z.enum(filterOperators),
  values: z
    .union([z.array(filterValueSchema).max(100), filterValueSchema, z.null()])
    .optional()
    .transform((values): FilterValue[] =>
      values === undefined || values === null ? [] : Array.isArray(values) ? values : [values],
    ),
  query_operator: z
    .string()
    .transform((value) => value.toLowerCase())
    .pipe(z.enum(['and', 'or']))
    .nullish(),
  attribute_model: z.string().max(50).optional(),
  custom_attribute_type: z.string().max(50).optional(),
});
export type FilterCondition = z.infer<typeof filterConditionSchema>;

/** Chatwoot's filter body: conditions joined by each one's `query_operator` to the next. */
export const filterPayloadSchema = z.object({
  payload: z.array(filterConditionSchema).min(1).max(50),
});
export type FilterPayload = z.infer<typeof filterPayloadSchema>;
