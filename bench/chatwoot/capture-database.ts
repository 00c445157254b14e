import { openServer } from '../../src/platform/db/database.js';

export interface CapturedQuery {
  text: string;
  params: unknown[];
}

/** postgres.js reads the array types once per connection, on its first statement: not the request's. */
const DRIVER_SETUP = /^\s*select b\.oid, b\.typarray from pg_catalog\.pg_type/;

/**
 * The server `Database` Parley opens, but for a driver hook that reports every statement it sends
 * (postgres.js's `debug`), so the benchmark can replay exactly the SQL an HTTP request issued as its
 * baseline. Capture is off unless `startCapture` was called.
 */
export function openCapturingDatabase(url: string, poolSize: number) {
  let captured: CapturedQuery[] | null = null;
  const database = openServer(url, poolSize, {
    applicationName: 'parley-bench',
    debug: (_connection, text, params) => {
      if (!DRIVER_SETUP.test(text)) captured?.push({ text, params: [...params] });
    },
  });
  return {
    database,
    startCapture() {
      captured = [];
    },
    stopCapture(): CapturedQuery[] {
      const result = captured ?? [];
      captured = null;
      return result;
    },
  };
}
