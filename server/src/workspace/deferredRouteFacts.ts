import { ModuleResolver } from '../engine/routes/link/moduleResolver';
import type { FileRouteFacts } from '../engine/routes/routeFacts';
import type { WalkedFile } from './fileWalker';

/**
 * The route facts of deferred files (ones that can only hold auth helpers or path constants, see
 * AnalyzerOptions.deferAuthHelpers) that files with route facts refer to, and the files those
 * refer to in turn, until nothing new is needed. A helper is only ever reached through a module
 * specifier written in another file's facts (an import, a `require('./auth')`, a router it
 * extends), so every string there that names a workspace file is followed: more than linking
 * will use, never less. Paths are the scan's `relative` ones, as linking resolves them.
 * `extract` reads the facts of a batch of files (one batch per step of imports, so a caller can
 * spread a batch over threads).
 */
export async function neededHelperFacts(
  facts: readonly FileRouteFacts[],
  deferred: readonly WalkedFile[],
  allFiles: readonly string[],
  extract: (files: WalkedFile[]) => Promise<(FileRouteFacts | undefined)[]>,
): Promise<FileRouteFacts[]> {
  if (deferred.length === 0) return [];
  const waiting = new Map(deferred.map((file) => [file.relative, file]));
  const resolver = new ModuleResolver(new Set(allFiles));
  const found: FileRouteFacts[] = [];
  let frontier = [...facts];
  while (frontier.length > 0 && waiting.size > 0) {
    const batch: WalkedFile[] = [];
    for (const from of frontier) {
      for (const specifier of specifiersIn(from)) {
        const target = resolver.resolve(from.file, specifier);
        const file = target === undefined ? undefined : waiting.get(target);
        if (!file) continue;
        waiting.delete(target!);
        batch.push(file);
      }
    }
    frontier = (await extract(batch)).filter((helperFacts): helperFacts is FileRouteFacts => helperFacts !== undefined);
    found.push(...frontier);
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
