import { Column, is, getTableName, noopDecoder, SQL, Subquery } from 'drizzle-orm';

/** A selected field as Drizzle keeps it on a prepared query: where it goes, and what it is. */
export interface SelectedField {
  path: string[];
  field: unknown;
}

type Decode = (raw: unknown) => unknown;
type Row = Record<string, unknown>;

interface PlannedColumn {
  /** The path without its last key: the objects the value is nested in. */
  parents: string[];
  key: string;
  /** Undefined where the driver's value is the value (text, integers, json). */
  decode: Decode | undefined;
}

/** A joined table's object, set to null when its first column is null (a left join that found no row). */
interface NullableObject {
  name: string;
  firstKey: string;
}

/** Decoders that hand the driver's value back as it is (Drizzle's defaults), found by reference. */
const identityDecoders = new Set<unknown>(
  [Column.prototype, noopDecoder].map((decoder) => Reflect.get(decoder, 'mapFromDriverValue') as unknown),
);

interface Decoder {
  mapFromDriverValue(raw: unknown): unknown;
}

/** Where Drizzle finds a field's decoder; `decoder` is internal to SQL in its types. */
function decoderOf(field: unknown): Decoder {
  if (is(field, Column)) return field;
  const sqlOf: unknown = is(field, SQL)
    ? field
    : is(field, Subquery)
      ? field._.sql
      : (field as SQL.Aliased).sql;
  return (sqlOf as { decoder: Decoder }).decoder;
}

/**
 * The function Drizzle's `mapResultRow` is, worked out once for a statement's fields instead of on
 * every cell of every row: which decoder a column has, and which joined objects may turn null.
 * Drizzle's version asks `is(field, Column)` several times per cell, which was a fifth of a
 * conversation list's CPU (25 rows of 130 columns). The result is the same object, key for key
 * (row-mapper.test.ts compares the two): a joined table's object is null when its first column
 * is, unless the join cannot be missing or the object mixes tables.
 */
export function compileRowMapper(
  fields: SelectedField[],
  joinsNotNullableMap: Record<string, boolean> | undefined,
): (row: unknown[]) => Row {
  const columns: PlannedColumn[] = fields.map(({ path, field }) => {
    const decoder = decoderOf(field);
    const decode = identityDecoders.has(Reflect.get(decoder, 'mapFromDriverValue'))
      ? undefined
      : (raw: unknown) => decoder.mapFromDriverValue(raw);
    return { parents: path.slice(0, -1), key: path.at(-1) ?? '', decode };
  });
  const nullable = joinsNotNullableMap ? nullableObjects(fields, joinsNotNullableMap) : [];

  return (row) => {
    const result: Row = {};
    let index = 0;
    for (const { parents, key, decode } of columns) {
      let node = result;
      for (const parent of parents) node = (node[parent] ??= {}) as Row;
      const raw = row[index++];
      node[key] = raw === null || decode === undefined ? raw : decode(raw);
    }
    for (const { name, firstKey } of nullable) {
      if ((result[name] as Row)[firstKey] === null) result[name] = null;
    }
    return result;
  };
}

/** Which objects Drizzle would null out, judged as it does: by the first column of each. */
function nullableObjects(
  fields: SelectedField[],
  joinsNotNullableMap: Record<string, boolean>,
): NullableObject[] {
  const objects = new Map<string, { table: string; firstKey: string; mixed: boolean }>();
  for (const { path, field } of fields) {
    if (path.length !== 2 || !is(field, Column)) continue;
    const [name, key] = path as [string, string];
    const table = getTableName(field.table);
    const seen = objects.get(name);
    if (!seen) objects.set(name, { table, firstKey: key, mixed: false });
    else if (seen.table !== table) seen.mixed = true;
  }
  return [...objects]
    .filter(([, object]) => !object.mixed && !joinsNotNullableMap[object.table])
    .map(([name, object]) => ({ name, firstKey: object.firstKey }));
}
