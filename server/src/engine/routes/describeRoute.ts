import type { Route } from './routeTypes';

/** How a route reads in messages and views: "POST /api/orders", "server action createOrder". */
export function describeRoute(route: Pick<Route, 'method' | 'path' | 'framework'>): string {
  if (route.method === 'ACTION') return `the server action ${route.path}`;
  return `${route.method === 'ALL' ? 'every method of' : route.method} ${route.path}`;
}
