import { ModuleResolver } from '../engine/routes/link/moduleResolver';
import type { FileRouteFacts } from '../engine/routes/routeFacts';
import type { WalkedFile } from './fileWalker';

/**
 * The route facts of deferred files (ones that can only hold auth helpers, see
 * AnalyzerOptions.deferAuthHelpers) that files with route facts refer to, and the files those
 * refer to in turn, until nothing new is needed. A helper is only ever reached through a module
 * specifier written in another file's facts (an import, a `require('./auth')`, a router it
 * extends), so every string there that names a workspace file is followed: more than linking
 * will use, never less. Paths are the scan's `relative` ones, as linking resolves them.
 */
export function neededHelperFacts(
  facts: readonly FileRouteFacts[],
  deferred: readonly WalkedFile[],
  allFiles: readonly string[],
  extract: (file: WalkedFile) => FileRouteFacts | undefined,
): FileRouteFacts[] {
  if (deferred.length === 0) return [];
  const waiting = new Map(deferred.map((file) => [file.relative, file]));
  const resolver = new ModuleResolver(new Set(allFiles));
  const found: FileRouteFacts[] = [];
  const queue = [...facts];
  for (let head = 0; head < queue.length && waiting.size > 0; head++) {
    const from = queue[head];
    for (const specifier of specifiersIn(from)) {
      const target = resolver.resolve(from.file, specifier);
      const file = target === undefined ? undefined : waiting.get(target);
      if (!file) continue;
      waiting.delete(target!);
      const helperFacts = extract(file);
      if (!helperFacts) continue;
      found.push(helperFacts);
      queue.push(helperFacts);
    }
  }
  return found;
}

/** Every string in the facts that could be a module specifier: relative, or an `@/`, `~/`, `#/` alias. */
function specifiersIn(facts: FileRouteFacts): Set<string> {
  const specifiers = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      if (/^(?:\.{1,2}(?:\/|$)|[@~#]\/)/.test(value)) specifiers.add(value);
    } else if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (value && typeof value === 'object') {
      Object.values(value).forEach(visit);
    }
  };
  visit(facts);
  return specifiers;
}
