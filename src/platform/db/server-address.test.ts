import { describe, expect, it } from 'vitest';
import { serverAddress } from './server-address.js';

describe('serverAddress', () => {
  it('leaves a TCP URL as it is', () => {
    expect(serverAddress('postgres://parley@db.internal:6432/parley?sslmode=require')).toEqual({
      url: 'postgres://parley@db.internal:6432/parley?sslmode=require',
    });
  });

  it("turns libpq's socket directory into postgres.js's socket path", () => {
    expect(serverAddress('postgres://postgres@/parley?host=/var/run/postgresql')).toEqual({
      url: 'postgres://postgres@localhost/parley',
      path: '/var/run/postgresql/.s.PGSQL.5432',
    });
    expect(serverAddress('postgres://postgres@localhost:5433/parley?host=/tmp/&application_name=x')).toEqual({
      url: 'postgres://postgres@localhost:5433/parley?application_name=x',
      path: '/tmp/.s.PGSQL.5433',
    });
    expect(serverAddress('postgresql:///parley?host=%2Frun%2Fpg&port=5434').path).toBe(
      '/run/pg/.s.PGSQL.5434',
    );
  });
});
