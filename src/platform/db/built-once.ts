import { sql, type Placeholder, type Query, type SQL } from 'drizzle-orm';
import type { Db } from './database.js';
import { compileRowMapper, type SelectedField } from './row-mapper.js';

/**
 * A select, or an insert or update with `returning()`, as far as this needs it: `prepare` builds
 * its text once.
 */
interface Preparable<TRow> {
  prepare(name: string): { execute(values?: Record<string, unknown>): Promise<TRow[]> };
}

/** What both drivers' prepared queries keep beside the built text (see `builtOnce`). */
interface PreparedParts {
  getQuery(): Query;
  fields?: SelectedField[];
  joinsNotNullableMap?: Record<string, boolean>;
}

/**
 * A statement (a select, or an insert or update returning rows) whose SQL text is built once,
 * then run with new values on whichever handle a call gives: the database or a transaction. Drizzle builds a statement's text from its builder on
 * every run, which for the conversation views (150 columns over 11 joins) was a sixth of a list
 * request's CPU. `.prepare()` keeps the text but binds it to the connection it was made on, so it
 * cannot run inside a transaction (drizzle-orm issues #613, #2826); this keeps the built text and
 * row layout, and asks the given handle's session for a prepared query around them, which is
 * what `.prepare()` does after building. `build` names each value with `value(name)`; a value
 * written into `build` instead would be frozen into every run.
 *
 * Reads `fields` and `joinsNotNullableMap` off the prepared query: both drivers keep them there
 * (Drizzle is pinned; every query built this way is covered by tests that map its rows). Rows are
 * mapped by a mapper compiled once from them (`compileRowMapper`), handed to the session as the
 * query's result mapper, which both drivers call with the rows as arrays.
 */
export function builtOnce<TRow, TValues extends Record<string, unknown>>(
  name: string,
  build: (db: Db, value: (name: keyof TValues & string) => Placeholder) => Preparable<TRow>,
): (db: Db, values: TValues) => Promise<TRow[]> {
  let built: { query: Query; fields: SelectedField[]; mapRows: (rows: unknown[][]) => TRow[] } | undefined;
  return (db, values) => {
    if (!built) {
      const prepared = build(db, (key) => sql.placeholder(key)).prepare(name) as unknown as PreparedParts;
      const fields = prepared.fields ?? [];
      const mapRow = compileRowMapper(fields, prepared.joinsNotNullableMap);
      built = { query: prepared.getQuery(), fields, mapRows: (rows) => rows.map(mapRow) as TRow[] };
    }
    const query = db._.session.prepareQuery(
      built.query,
      built.fields as Parameters<Db['_']['session']['prepareQuery']>[1],
      name,
      true,
      built.mapRows,
    ) as unknown as { execute(values: Record<string, unknown>): Promise<TRow[]> };
    return query.execute(values);
  };
}

/**
 * `builtOnce` for a statement whose text depends on a few choices (a sort, which filters are
 * set): each variant is built on first use and kept under its statement name, which must tell
 * the variants apart. Only for choices from a small fixed set, never for a request's values.
 */
export function builtOncePerVariant<TRow, TValues extends Record<string, unknown>, TVariant>(
  nameOf: (variant: TVariant) => string,
  build: (
    db: Db,
    value: (name: keyof TValues & string) => Placeholder,
    variant: TVariant,
  ) => Preparable<TRow>,
): (variant: TVariant, db: Db, values: TValues) => Promise<TRow[]> {
  const variants = new Map<string, (db: Db, values: TValues) => Promise<TRow[]>>();
  return (variant, db, values) => {
    const name = nameOf(variant);
    let statement = variants.get(name);
    if (!statement) {
      statement = builtOnce<TRow, TValues>(name, (handle, value) => build(handle, value, variant));
      variants.set(name, statement);
    }
    return statement(db, values);
  };
}

/**
 * `builtOnce` for a statement Drizzle has no builder for (a data-modifying CTE, say), run for
 * its effect: `build` writes its SQL, with each value named by `value(name)`, and the text is
 * built once. The rows it answers are not read.
 */
export function builtOnceCommand<TValues extends Record<string, unknown>>(
  name: string,
  build: (db: Db, value: (name: keyof TValues & string) => Placeholder) => SQL,
): (db: Db, values: TValues) => Promise<void> {
  let built: Query | undefined;
  return async (db, values) => {
    // `execute` only builds: the statement runs when its answer is awaited, which this never is.
    built ??= db.execute(build(db, (key) => sql.placeholder(key))).getQuery();
    await db._.session.prepareQuery(built, undefined, name, false).execute(values);
  };
}
