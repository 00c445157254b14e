import { drizzle } from 'drizzle-orm/postgres-js';
import type { Database } from '../../src/platform/db/database.js';
import { withNamedStatements } from '../../src/platform/db/named-statements.js';
import { connectServer } from '../../src/platform/db/server-address.js';

export interface CapturedQuery {
  text: string;
  params: unknown[];
}

/**
 * A server `Database` for Parley whose driver reports every statement it sends (postgres.js's
 * `debug` hook), so the benchmark can replay exactly the SQL an HTTP request issued as its
 * baseline. Capture is off unless `startCapture` was called.
 */
export function openCapturingDatabase(url: string, poolSize: number) {
  let captured: CapturedQuery[] | null = null;
  const client = connectServer(url, {
    max: poolSize,
    onnotice: () => undefined,
    connection: { application_name: 'parley-bench' },
    debug: (_connection, text, params) => {
      captured?.push({ text, params: [...(params as unknown[])] });
    },
  });
  const database: Database = {
    kind: 'server',
    db: drizzle(withNamedStatements(client)),
    async listen(channel, handler) {
      const subscription = await client.listen(channel, handler);
      return () => subscription.unlisten();
    },
    async notify(channel, payload) {
      await client.notify(channel, payload);
    },
    async close() {
      await client.end({ timeout: 5 });
    },
  };
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
