import type { Rng } from './prng.js';
import type { FuzzRequest } from './types.js';
import { clone, type Json, type Mutator } from './mutator.js';
import { MAX_NESTING, nested, oddNumbers, oddStrings, oddValue } from './values.js';

/** A place in a JSON body: a field of an object or an element of an array, at any depth. */
interface Slot {
  parent: Record<string, Json> | Json[];
  key: string;
}

/** Every slot of a JSON value, so a mutation lands on nested values as often as on top-level ones. */
function slotsOf(value: unknown, depth = 0): Slot[] {
  if (value === null || typeof value !== 'object' || depth > 8) return [];
  const parent = value as Record<string, Json> | Json[];
  return Object.keys(parent).flatMap((key) => [
    { parent, key },
    ...slotsOf((parent as Record<string, unknown>)[key], depth + 1),
  ]);
}

function containersOf(value: unknown, depth = 0): (Record<string, Json> | Json[])[] {
  if (value === null || typeof value !== 'object' || depth > 8) return [];
  const children = Object.values(value as Record<string, unknown>).flatMap((child) =>
    containersOf(child, depth + 1),
  );
  return [value as Record<string, Json> | Json[], ...children];
}

function read(slot: Slot): Json {
  return (slot.parent as Record<string, Json>)[slot.key] as Json;
}

function write(slot: Slot, value: unknown): void {
  (slot.parent as Record<string, Json>)[slot.key] = value as Json;
}

function isLeaf(slot: Slot): boolean {
  const value = read(slot);
  return value === null || typeof value !== 'object';
}

/**
 * Edits one slot of a copy of the body, a scalar three times in four (the values handlers act
 * on sit at the leaves); a body with no slot is replaced whole.
 */
function mutateSlot(request: FuzzRequest, rng: Rng, edit: (slot: Slot) => void): FuzzRequest {
  const body = clone(request.body);
  const slots = slotsOf(body);
  if (slots.length === 0) return { ...request, body: oddValue(rng) };
  const leaves = slots.filter(isLeaf);
  edit(rng.pick(leaves.length > 0 && rng.chance(0.75) ? leaves : slots));
  return { ...request, body };
}

/** A value of the same type at or past a boundary: what a validator that checks only the type lets through. */
function boundaryLike(value: Json, rng: Rng): unknown {
  if (typeof value === 'number') {
    return rng.chance(0.8) ? rng.pick(oddNumbers) : String(rng.pick(oddNumbers));
  }
  if (typeof value === 'string') {
    return rng.chance(0.8) ? rng.pick(oddStrings) : rng.pick(['1e309', '-1', '0', '2026-02-30', '+1', ' ']);
  }
  if (typeof value === 'boolean') return rng.pick(['true', 'false', 0, 1, !value]);
  if (Array.isArray(value))
    return rng.pick([[], [value], Array.from({ length: 1_001 }, () => value[0] ?? 1)]);
  return oddValue(rng);
}

const INSERTED_KEYS = [
  'id',
  'account_id',
  'accountId',
  '__proto__',
  'constructor',
  'zzz',
  '',
  'payload',
  'role',
];

/** Mutations of a JSON body: dropped, added, retyped and boundary values, nesting, another body. */
export const bodyMutators: Mutator[] = [
  {
    name: 'drop-field',
    weight: 4,
    apply: (request, rng) =>
      mutateSlot(request, rng, ({ parent, key }) => {
        if (Array.isArray(parent)) parent.splice(Number(key), 1);
        else Reflect.deleteProperty(parent, key);
      }),
  },
  {
    name: 'insert-field',
    weight: 2,
    apply: (request, rng) => {
      const body = clone(request.body);
      const targets = containersOf(body);
      if (targets.length === 0) return { ...request, body: oddValue(rng) };
      const target = rng.pick(targets);
      if (Array.isArray(target)) target.push(oddValue(rng) as Json);
      else target[rng.pick(INSERTED_KEYS)] = oddValue(rng) as Json;
      return { ...request, body };
    },
  },
  {
    name: 'retype-field',
    weight: 6,
    apply: (request, rng) => mutateSlot(request, rng, (slot) => write(slot, oddValue(rng))),
  },
  {
    name: 'boundary-value',
    weight: 8,
    apply: (request, rng) => mutateSlot(request, rng, (slot) => write(slot, boundaryLike(read(slot), rng))),
  },
  {
    // Every number at once at one extreme: a handler reached only when all other fields stay valid.
    name: 'all-numbers-extreme',
    weight: 3,
    apply: (request, rng) => {
      const body = clone(request.body);
      const extreme = rng.pick(oddNumbers);
      const numbers = slotsOf(body).filter((slot) => typeof read(slot) === 'number');
      if (numbers.length === 0) return { ...request, body: oddValue(rng) };
      for (const slot of numbers) write(slot, extreme);
      return { ...request, body };
    },
  },
  {
    name: 'deep-nesting',
    weight: 1,
    apply: (request, rng) =>
      mutateSlot(request, rng, (slot) =>
        write(slot, nested(8 + rng.int(MAX_NESTING - 8), 'deep', rng.chance(0.5))),
      ),
  },
  {
    name: 'replace-body',
    weight: 2,
    apply: (request, rng) => {
      const choices: unknown[] = [[request.body], [], 'text', 0, null, true, oddValue(rng)];
      return { ...request, body: rng.pick(choices) };
    },
  },
];
