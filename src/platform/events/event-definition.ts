import type { z } from 'zod';

/** An event type a module emits; each module declares its own and the registry collects them. */
export interface EventDefinition<TPayload extends Record<string, unknown> = Record<string, unknown>> {
  /** `noun.past_tense`, one spelling inside the app and on the wire. */
  type: string;
  aggregateType: string;
  version: number;
  description: string;
  payloadSchema: z.ZodType<TPayload>;
}

const definitions = new Map<string, EventDefinition>();

export function defineEvent<TPayload extends Record<string, unknown>>(
  definition: EventDefinition<TPayload>,
): EventDefinition<TPayload> {
  const existing = definitions.get(definition.type);
  if (existing && existing !== (definition as unknown as EventDefinition)) {
    throw new Error(`event type ${definition.type} is defined twice`);
  }
  definitions.set(definition.type, definition);
  return definition;
}

/** Every event type known to this process, for docs and for validating webhook subscriptions. */
export function listEventDefinitions(): EventDefinition[] {
  return [...definitions.values()].sort((a, b) => a.type.localeCompare(b.type));
}

export function isKnownEventType(type: string): boolean {
  return definitions.has(type);
}
