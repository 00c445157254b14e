import { z } from 'zod';

/**
 * Free-form JSON a client may store (custom_attributes, content_attributes, settings...). Real
 * attribute bags are a few levels deep; 32 leaves room for any sane structure while keeping every
 * recursive step downstream (JSON.stringify in the ORM, jsonb, webhook payloads) far from the stack
 * limit, which a 5,000-deep value overflowed.
 */
export const JSON_MAX_DEPTH = 32;
/** Keys and array items in one value, all levels together; the body limit already caps bytes. */
export const JSON_MAX_VALUES = 10_000;

/**
 * Why a JSON value is too large to store, or undefined when it fits. The walk keeps its own stack,
 * so a hostile depth cannot overflow the check itself, and it stops at the first excess.
 */
export function jsonBoundsProblem(
  value: unknown,
  limits: { maxDepth: number; maxValues: number } = { maxDepth: JSON_MAX_DEPTH, maxValues: JSON_MAX_VALUES },
): string | undefined {
  const pending: { node: object; depth: number }[] = [];
  if (isContainer(value)) pending.push({ node: value, depth: 1 });
  let values = 0;
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (next.depth > limits.maxDepth) return `nests deeper than ${limits.maxDepth} levels`;
    const children: unknown[] = Array.isArray(next.node) ? next.node : Object.values(next.node);
    values += children.length;
    if (values > limits.maxValues) return `holds more than ${limits.maxValues} values`;
    for (const child of children)
      if (isContainer(child)) pending.push({ node: child, depth: next.depth + 1 });
  }
  return undefined;
}

function isContainer(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

/** Adds the depth and size bounds to a schema of free-form JSON; a failure is a validation error (422). */
export function boundedJson<T extends z.ZodType>(schema: T): T {
  return schema.superRefine((value, ctx) => {
    const problem = jsonBoundsProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}

/** A free-form JSON object (string keys, any values), bounded in depth and size. */
export function jsonObject(keys: z.ZodString = z.string()) {
  return boundedJson(z.record(keys, z.unknown()));
}
