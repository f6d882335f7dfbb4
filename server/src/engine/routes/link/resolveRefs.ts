import type { AuthCheck, ChainItem, FileRouteFacts, FunctionFact, RouterFact, ValueRef } from '../routeFacts';
import { knownAuthMiddleware, knownNotAuthMiddleware, looksLikeAuthName } from '../authSignals';
import { ModuleResolver } from './moduleResolver';
import { PythonModuleResolver, isPythonFile } from '../python/pythonModules';

/** What a reference in a route chain turned out to be, once the files were linked. */
export type Resolved =
  | { kind: 'router'; file: string; router: RouterFact }
  | { kind: 'function'; file: string; fn: FunctionFact }
  | { kind: 'package'; module: string; name: string }
  | { kind: 'unresolved'; name: string }
  | { kind: 'none' };

/** How an item of a route chain bears on authentication. */
export interface ItemVerdict {
  auth?: AuthCheck & { file: string };
  /** A check we believe exists but could not see (an unresolvable helper named like one). */
  assumed?: boolean;
  /** Something we could not look into that might check auth. */
  unknown?: boolean;
}

/**
 * Resolves references across the workspace's route facts: imports to files and their exports,
 * exports to routers and functions, and chain items to a verdict about authentication.
 * Imports resolve the way the importing file's language does (JS/TS module specifiers, or
 * Python module names).
 */
export class RefResolver {
  private readonly resolver: ModuleResolver;
  private readonly python: PythonModuleResolver;

  constructor(private readonly facts: ReadonlyMap<string, FileRouteFacts>, allFiles: ReadonlySet<string>, private readonly authNames: ReadonlySet<string>) {
    this.resolver = new ModuleResolver(allFiles);
    this.python = new PythonModuleResolver(allFiles);
  }

  resolve(file: string, ref: ValueRef, depth = 0): Resolved {
    if (depth > 8) return { kind: 'none' };
    if (isPythonFile(file) && (ref.kind === 'import' || ref.kind === 'member')) return this.resolvePython(file, ref, depth);
    const facts = this.facts.get(file);
    switch (ref.kind) {
      case 'router': {
        const router = facts?.routers.find((candidate) => candidate.name === ref.name);
        return router ? { kind: 'router', file, router } : { kind: 'none' };
      }
      case 'function': {
        const router = facts?.routers.find((candidate) => candidate.name === ref.name);
        if (router) return { kind: 'router', file, router };
        const fn = facts?.functions.find((candidate) => candidate.name === ref.name);
        return fn ? { kind: 'function', file, fn } : { kind: 'none' };
      }
      case 'import': {
        if (ModuleResolver.isPackage(ref.module)) return { kind: 'package', module: ref.module, name: ref.imported === 'default' || ref.imported === '*' ? ref.local : ref.imported };
        const target = this.resolver.resolve(file, ref.module);
        if (!target) return { kind: 'unresolved', name: ref.local };
        if (ref.imported === '*') return { kind: 'none' };
        return this.resolveExport(target, ref.imported, depth + 1) ?? { kind: 'unresolved', name: ref.local };
      }
      case 'member': {
        if (ref.object.kind === 'import' && ref.object.imported === '*' && !ModuleResolver.isPackage(ref.object.module)) {
          const target = this.resolver.resolve(file, ref.object.module);
          return target ? this.resolveExport(target, ref.property, depth + 1) ?? { kind: 'unresolved', name: ref.property } : { kind: 'unresolved', name: ref.property };
        }
        const object = this.resolve(file, ref.object, depth + 1);
        if (object.kind === 'package') return { kind: 'package', module: object.module, name: `${object.name}.${ref.property}` };
        return { kind: 'none' };
      }
    }
  }

  /** The router or function a file exports under `name`, following re-exports. */
  resolveExport(file: string, name: string, depth: number): Resolved | undefined {
    const facts = this.facts.get(file);
    if (!facts || depth > 8) return undefined;
    for (const entry of facts.exports) {
      if (entry.exported !== name && entry.exported !== '*') continue;
      if ('local' in entry) {
        const local = this.resolveLocal(file, facts, entry.local, depth);
        if (local) return local;
      } else if (entry.exported === name || entry.exported === '*') {
        const target = this.moduleFile(file, entry.module);
        if (!target) continue;
        const found = this.resolveExport(target, entry.imported === '*' ? name : entry.imported, depth + 1);
        if (found) return found;
      }
    }
    return undefined;
  }

  /** The workspace file a module specifier names, seen from `file`; undefined for a package. */
  private moduleFile(file: string, specifier: string): string | undefined {
    if (isPythonFile(file)) return this.python.resolve(file, specifier);
    return ModuleResolver.isPackage(specifier) ? undefined : this.resolver.resolve(file, specifier);
  }

  /**
   * Python imports: `from pkg import name` may name a submodule; an absolute module no workspace
   * file answers to is a package; and every top-level name of a Python file is known to its
   * facts, so a module without facts (or without the name) holds nothing that checks auth.
   */
  private resolvePython(file: string, ref: Extract<ValueRef, { kind: 'import' | 'member' }>, depth: number): Resolved {
    const moduleFile = this.pythonModuleOf(file, ref);
    if (moduleFile) return { kind: 'none' };
    if (ref.kind === 'import') {
      const target = this.python.resolve(file, ref.module);
      if (!target) return ref.module.startsWith('.') ? { kind: 'unresolved', name: ref.local } : { kind: 'package', module: ref.module, name: ref.imported === '*' ? ref.local : ref.imported };
      if (!this.facts.has(target)) return { kind: 'none' };
      return this.resolveExport(target, ref.imported, depth + 1) ?? { kind: 'none' };
    }
    const objectModule = this.pythonModuleOf(file, ref.object);
    if (objectModule) return this.facts.has(objectModule) ? this.resolveExport(objectModule, ref.property, depth + 1) ?? { kind: 'none' } : { kind: 'none' };
    const object = this.resolve(file, ref.object, depth + 1);
    if (object.kind === 'package') return { kind: 'package', module: object.module, name: `${object.name}.${ref.property}` };
    if (object.kind === 'unresolved') return { kind: 'unresolved', name: `${object.name}.${ref.property}` };
    return { kind: 'none' };
  }

  /** The file of the module a Python reference stands for (`import app.urls`, `from app import views`), if it is a module. */
  private pythonModuleOf(file: string, ref: ValueRef): string | undefined {
    if (ref.kind === 'import') {
      if (ref.imported === '*') return this.python.resolve(file, ref.module);
      return this.python.submodule(file, ref.module, ref.imported);
    }
    if (ref.kind === 'member') {
      const parent = this.pythonModuleName(ref.object);
      return parent ? this.python.resolve(file, parent + '.' + ref.property) : undefined;
    }
    return undefined;
  }

  private pythonModuleName(ref: ValueRef): string | undefined {
    if (ref.kind === 'import') return ref.imported === '*' ? ref.module : /\.$/.test(ref.module) ? ref.module + ref.imported : `${ref.module}.${ref.imported}`;
    if (ref.kind === 'member') {
      const parent = this.pythonModuleName(ref.object);
      return parent ? `${parent}.${ref.property}` : undefined;
    }
    return undefined;
  }

  private resolveLocal(file: string, facts: FileRouteFacts, local: string, depth: number): Resolved | undefined {
    const router = facts.routers.find((candidate) => candidate.name === local);
    if (router) return { kind: 'router', file, router };
    const fn = facts.functions.find((candidate) => candidate.name === local);
    if (fn) return { kind: 'function', file, fn };
    const imported = facts.imports.find((entry) => entry.local === local);
    if (imported) return this.resolve(file, { kind: 'import', module: imported.module, imported: imported.imported, local }, depth + 1);
    return undefined;
  }

  /** Whether a chain item (middleware, guard, wrapper or handler) makes the caller authenticate. */
  verdict(file: string, item: ChainItem, depth = 0): ItemVerdict {
    if (item.optional) {
      // Counts only as a check Shipshape can see; otherwise it is nothing, not "unknown".
      const { optional: _optional, ...required } = item;
      const verdict = this.verdict(file, required, depth);
      return verdict.auth && !verdict.assumed ? verdict : {};
    }
    if (item.authCheck) return { auth: { ...item.authCheck, file } };
    if (item.notAuth) return {};
    if (this.authNames.has(item.label) || this.authNames.has(item.label.replace(/\(.*$/, ''))) {
      return { auth: { description: `${item.label} (an auth check named in .shipshape.json)`, span: item.span, file } };
    }
    if (item.ref) {
      const verdict = this.refVerdict(file, item.ref, item, depth);
      if (verdict.auth || verdict.unknown) return verdict;
    }
    for (const call of item.callsAtStart ?? []) {
      const verdict = this.refVerdict(file, call, { label: labelOf(call), span: item.span }, depth);
      if (verdict.auth) return { ...verdict, auth: { ...verdict.auth!, description: `calls ${verdict.auth!.description}` } };
    }
    return {};
  }

  private refVerdict(file: string, ref: ValueRef, item: ChainItem, depth: number): ItemVerdict {
    if (depth > 4) return {};
    const resolved = this.resolve(file, ref);
    const name = item.label.replace(/\(.*$/s, '');
    switch (resolved.kind) {
      case 'function': {
        if (resolved.fn.authCheck) {
          return { auth: { description: `${name} ${resolved.fn.authCheck.description}`, span: resolved.fn.authCheck.span, file: resolved.file, ...(resolved.fn.authCheck.webhook ? { webhook: true } : {}) } };
        }
        for (const call of resolved.fn.callsAtStart) {
          const inner = this.refVerdict(resolved.file, call, { label: labelOf(call), span: resolved.fn.span }, depth + 1);
          if (inner.auth) return { auth: { ...inner.auth, description: `${name} → ${inner.auth.description}` } };
        }
        if (this.authNames.has(resolved.fn.name)) return { auth: { description: `${resolved.fn.name} (an auth check named in .shipshape.json)`, span: resolved.fn.span, file: resolved.file } };
        return {};
      }
      case 'package': {
        const last = resolved.name.split('.').pop() ?? resolved.name;
        const known = knownAuthMiddleware(last, resolved.module) ?? knownAuthMiddleware(resolved.name, resolved.module);
        if (known) return { auth: { description: `${name} (${known})`, span: item.span, file } };
        if (knownNotAuthMiddleware(last)) return {};
        if (looksLikeAuthName(last)) return { auth: { description: `${name} from ${resolved.module} (an auth helper by its name)`, span: item.span, file }, assumed: true };
        return {};
      }
      case 'unresolved':
        if (looksLikeAuthName(resolved.name)) return { auth: { description: `${name} (an auth helper by its name; its code could not be found)`, span: item.span, file }, assumed: true };
        return { unknown: true };
      default:
        return {};
    }
  }
}

function labelOf(ref: ValueRef): string {
  switch (ref.kind) {
    case 'import':
      return ref.local;
    case 'member':
      return `${labelOf(ref.object)}.${ref.property}`;
    default:
      return ref.name;
  }
}
