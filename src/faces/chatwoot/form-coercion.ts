/**
 * Form and multipart values are text. Rails casts them to the column's type; here the route's own
 * zod body schema says where a number or a boolean is expected, and only there is text cast, so a
 * JSON body keeps its strict types and every route (this face's and those added later) accepts
 * forms without a second schema.
 */
interface Def {
  type: string;
  shape?: Record<string, Schema>;
  catchall?: Schema;
  element?: Schema;
  valueType?: Schema;
  options?: Schema[];
  innerType?: Schema;
  in?: Schema;
  out?: Schema;
  left?: Schema;
  right?: Schema;
  entries?: Record<string, unknown>;
  values?: unknown[];
  getter?: () => Schema;
}
interface Schema {
  _zod: { def: Def };
}

const NUMBER = /^-?\d+(\.\d+)?$/;
// ActiveModel::Type::Boolean's spellings.
const TRUE = new Set(['true', '1', 't', 'on', 'TRUE', 'True']);
const FALSE = new Set(['false', '0', 'f', 'off', 'FALSE', 'False']);
const MAX_DEPTH = 40;

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && '_zod' in value;
}

function fromText(text: string, def: Def): unknown {
  switch (def.type) {
    case 'number':
    case 'int':
      return NUMBER.test(text.trim()) ? Number(text) : text;
    case 'boolean':
      return TRUE.has(text) ? true : FALSE.has(text) ? false : text;
    case 'enum':
    case 'literal': {
      const allowed = def.type === 'enum' ? Object.values(def.entries ?? {}) : (def.values ?? []);
      if (allowed.includes(text)) return text;
      const numeric = Number(text);
      if (NUMBER.test(text.trim()) && allowed.includes(numeric)) return numeric;
      if (TRUE.has(text) && allowed.includes(true)) return true;
      if (FALSE.has(text) && allowed.includes(false)) return false;
      return text;
    }
    default:
      return text;
  }
}

function acceptsText(def: Def): boolean {
  return def.type === 'string' || def.type === 'unknown' || def.type === 'any';
}

function coerce(value: unknown, schema: Schema | undefined, depth: number): unknown {
  if (!schema || depth > MAX_DEPTH) return value;
  const def = schema._zod.def;
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'nonoptional':
    case 'catch':
    case 'readonly':
      return coerce(value, def.innerType, depth + 1);
    case 'pipe':
      // A preprocess or transform pipe: the shape is the side that is not a bare transform.
      return coerce(value, def.in?._zod.def.type === 'transform' ? def.out : def.in, depth + 1);
    case 'lazy':
      return coerce(value, def.getter?.(), depth + 1);
    case 'intersection':
      return coerce(coerce(value, def.left, depth + 1), def.right, depth + 1);
    case 'union': {
      const options = (def.options ?? []).filter(isSchema);
      if (typeof value === 'string' && options.some((option) => acceptsText(option._zod.def))) return value;
      for (const option of options) {
        const cast = coerce(value, option, depth + 1);
        if (cast !== value) return cast;
      }
      return value;
    }
    case 'array':
      // `user_ids=5` (no brackets) is one id to Rails' Array() as much as `user_ids[]=5`.
      if (typeof value === 'string') return [coerce(value, def.element, depth + 1)];
      return Array.isArray(value) ? value.map((item) => coerce(item, def.element, depth + 1)) : value;
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        out[key] = coerce(
          item,
          Object.hasOwn(def.shape ?? {}, key) ? def.shape?.[key] : def.catchall,
          depth + 1,
        );
      }
      return out;
    }
    case 'record': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) out[key] = coerce(item, def.valueType, depth + 1);
      return out;
    }
    default:
      return typeof value === 'string' ? fromText(value, def) : value;
  }
}

/** A form-decoded body, cast where the route's zod schema expects numbers or booleans. */
export function coerceFormBody(body: unknown, schema: unknown): unknown {
  return isSchema(schema) ? coerce(body, schema, 0) : body;
}
