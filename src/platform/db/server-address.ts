import postgres from 'postgres';

/**
 * A PostgreSQL URL as postgres.js takes it. libpq's way to name a Unix socket,
 * `postgres://user@/db?host=/var/run/postgresql` (the socket's directory), reaches postgres.js as
 * a server setting it rejects; it wants the socket file as its `path` option. On one host the
 * socket is the cheaper road: a TCP write over loopback runs the receiving side's network stack
 * on the sender's CPU, and at one write per statement that was a fifth of Parley's CPU.
 */
export function serverAddress(url: string): { url: string; path?: string } {
  const queryStart = url.indexOf('?');
  if (queryStart < 0) return { url };
  const params = new URLSearchParams(url.slice(queryStart + 1));
  const socketDirectory = params.get('host');
  if (!socketDirectory?.startsWith('/')) return { url };
  const schemeEnd = url.indexOf('://') + 3;
  const authority = url.slice(schemeEnd).split(/[/?]/)[0] ?? '';
  const hostAndPort = authority.slice(authority.lastIndexOf('@') + 1);
  const port = params.get('port') ?? /:(\d+)$/.exec(hostAndPort)?.[1] ?? '5432';
  params.delete('host');
  params.delete('port');
  // postgres.js parses the URL with WHATWG's parser, which refuses credentials without a host.
  const credentials = authority.slice(0, authority.lastIndexOf('@') + 1);
  const base = `${url.slice(0, schemeEnd)}${credentials}${hostAndPort || 'localhost'}${url.slice(schemeEnd + authority.length, queryStart)}`;
  const rest = params.toString();
  return {
    url: rest ? `${base}?${rest}` : base,
    path: `${socketDirectory.replace(/\/$/, '')}/.s.PGSQL.${port}`,
  };
}

/** A postgres.js client for a server URL, TCP or libpq's socket form (see `serverAddress`). */
export function connectServer(
  url: string,
  options: postgres.Options<Record<string, postgres.PostgresType>>,
): postgres.Sql {
  const address = serverAddress(url);
  return postgres(address.url, { ...(address.path !== undefined && { path: address.path }), ...options });
}
