import type { LinkedRoute } from './buildInventory';

/**
 * The Django views (and Flask class-based views) of one file and the URL parameters each receives
 * as keyword arguments: by the view's name (`detail`, or `ReviewView.get` for a class-based
 * view's method), parameter
 * name → every converter the URL patterns routing to it use (`int`, `str`, `slug`, `path`,
 * `regex:…`; see urlParameterTypes). Names, not offsets: while a view file is edited, the
 * routes linked before the edit still name its views right. Which parameters carry text, and
 * so request input, is the input analysis's call.
 */
export type ViewParameters = ReadonlyMap<string, Readonly<Record<string, readonly string[]>>>;

/** The view parameters of every file with Django (or Flask class-based) routes located at their view. */
export function viewParametersByFile(routes: readonly LinkedRoute[]): Map<string, ViewParameters> {
  const byFile = new Map<string, Map<string, Record<string, string[]>>>();
  for (const route of routes) {
    if ((route.framework !== 'django' && route.framework !== 'flask') || !route.parameterTypes) continue;
    const view = route.viewFunction ?? (route.handler ? { file: route.file, name: route.handler } : undefined);
    if (!view) continue;
    let views = byFile.get(view.file);
    if (!views) byFile.set(view.file, (views = new Map()));
    let parameters = views.get(view.name);
    if (!parameters) views.set(view.name, (parameters = {}));
    for (const [name, type] of Object.entries(route.parameterTypes)) {
      const types = (parameters[name] ??= []);
      if (!types.includes(type)) types.push(type);
    }
  }
  return byFile;
}

/** A stable text form, to tell whether a file's view parameters changed. */
export function viewParametersKey(parameters: ViewParameters | undefined): string {
  if (!parameters) return '';
  return [...parameters].sort((a, b) => a[0].localeCompare(b[0])).map(([view, names]) => `${view}:${Object.entries(names).sort().map(([name, types]) => `${name}=${[...types].sort().join('|')}`).join(',')}`).join(';');
}
