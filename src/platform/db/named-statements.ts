import { AsyncLocalStorage } from 'node:async_hooks';
import { sql } from 'drizzle-orm';
import type { Sql } from 'postgres';

const customPlans = new AsyncLocalStorage<true>();

/**
 * Runs `work` with its statements unnamed, so PostgreSQL plans each one for its own values.
 * For queries whose best plan depends on the values (contact search: a few phone numbers, a
 * date range, a rare custom field value): after five runs of a named statement PostgreSQL may
 * keep a generic plan, which, blind to the values, walked a million contacts for four numbers
 * (60 ms instead of 4 ms).
 */
export function withCustomPlans<T>(work: () => PromiseLike<T>): Promise<T> {
  // Awaited inside the scope: a Drizzle query is lazy, and a builder handed back unawaited would
  // start only once the scope had ended, named after all.
  return customPlans.run(true, async () => await work());
}

type Callback = (sql: unknown) => unknown;

/** Re-wraps the client a transaction or savepoint hands its callback, so it prepares too. */
function wrapScope(scope: (...args: unknown[]) => unknown) {
  return (...args: unknown[]) => {
    const callback = args.pop() as Callback;
    return scope(...args, (inner: Sql) => callback(withNamedStatements(inner)));
  };
}

/**
 * Drizzle asks postgres.js for an unnamed statement unless the query was given a name with
 * `.prepare()`, so PostgreSQL parsed and planned every statement anew: 13 ms of planning for a
 * conversation page's joins, on every request. Named statements let each connection keep its
 * plan (PostgreSQL switches to a generic plan once it is no worse than the custom ones).
 * Statements without parameters stay unnamed: they are one-off text (migrations, DDL).
 */
export function withNamedStatements<T extends Sql>(client: T): T {
  return new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      switch (property) {
        case 'unsafe':
          return (query: string, parameters?: unknown[], options?: object) =>
            method.call(target, query, parameters, {
              ...options,
              prepare: parameters !== undefined && parameters.length > 0 && !customPlans.getStore(),
            });
        case 'begin':
        case 'savepoint':
          return wrapScope(method.bind(target));
        default:
          return value;
      }
    },
  });
}

/**
 * A row count for `.limit()` written into the statement's text instead of bound. PostgreSQL's
 * generic plan cannot see a bound LIMIT and costs it as a tenth of the table, so it never wins
 * and every run of the statement is planned again: 3 ms of planning for a conversation page's
 * joins against 0.6 ms to run it. Only for a constant of the code (a page size), never for a
 * value from a request: each distinct count is another statement for every connection to keep.
 */
export function fixedLimit(count: number): number {
  if (!Number.isSafeInteger(count) || count < 0) throw new Error(`not a row count: ${String(count)}`);
  // Drizzle writes an SQL object given as the limit in place; its type admits only numbers.
  return sql.raw(String(count)) as unknown as number;
}
