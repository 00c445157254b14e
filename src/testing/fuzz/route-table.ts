import type { FastifyInstance } from 'fastify';

export interface RouteRef {
  method: string;
  url: string;
}

const SKIPPED_METHODS = new Set(['HEAD', 'OPTIONS']);

/**
 * The routes an app serves, read from `printRoutes` (Fastify keeps no public route list once the
 * app is built, and the fuzzer must not change how the app is built). Each line of the tree is a
 * path segment with its methods; a line's full path is its ancestors' segments joined.
 */
export function listRoutes(app: FastifyInstance): RouteRef[] {
  const tree = app.printRoutes({ commonPrefix: false });
  const stack: { depth: number; path: string }[] = [];
  const routes: RouteRef[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    while (stack.length > 0 && (stack.at(-1)?.depth ?? 0) >= depth) stack.pop();
    const path = `${stack.at(-1)?.path ?? ''}${match[2] ?? ''}`;
    stack.push({ depth, path });
    for (const method of (match[3] ?? '').split(', ').filter(Boolean)) {
      if (!SKIPPED_METHODS.has(method)) routes.push({ method, url: path });
    }
  }
  return routes;
}

/** Whether a concrete URL path matches a route template (`:name` and `*` segments). */
export function matchesRoute(template: string, path: string): boolean {
  const pattern = template
    .split('/')
    .map((segment) =>
      segment === '*'
        ? '.*'
        : segment.startsWith(':')
          ? '[^/]+'
          : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  return new RegExp(`^${pattern}$`).test(path);
}
