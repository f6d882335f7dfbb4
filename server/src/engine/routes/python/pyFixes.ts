import type { FixHint, TextEdit } from '../../types';
import type { FileRouteFacts } from '../routeFacts';
import type { LinkedInventory, LinkedRoute, ProjectAuthItem } from '../link/buildInventory';
import { PythonModuleResolver, pythonModuleSpecifier } from './pythonModules';
import { knownAuthDecorator, permissionClass } from './pythonSignals';

/**
 * "Require authentication" for Python routes, with what the project already uses for routes of
 * the same framework: a decorator under the route's (`@login_required`, `@jwt_required()`), a
 * FastAPI dependency (`dependencies=[Depends(get_current_user)]`), a DRF permission class
 * (`@permission_classes([IsAuthenticated])`, `permission_classes = [IsAuthenticated]`) — with
 * the imports it needs. Nothing is offered where the right edit is not clear.
 */

interface Choice {
  protector: ProjectAuthItem;
  fix?: FixHint;
}

export function pythonRequireAuth(route: LinkedRoute, inventory: LinkedInventory, facts: FileRouteFacts, allFacts: ReadonlyMap<string, FileRouteFacts>, allFiles: ReadonlySet<string>): Choice | undefined {
  const candidates = inventory.projectAuth.filter((item) => item.framework === route.framework);
  const style = route.insertion?.style;
  const fits = (item: ProjectAuthItem): boolean => {
    switch (style) {
      case 'decorator':
        return isDecorator(item.label);
      case 'drf-decorator':
      case 'drf-class':
      case 'drf-list':
        return isPermissionClass(item.label);
      case 'mixin':
        return /Mixin$/.test(item.label);
      case 'dependency':
        return /^[A-Za-z_][\w.]*$/.test(item.label) && !isAlias(item, allFacts, allFiles);
      default:
        return false;
    }
  };
  // A class-based view without a mixin in the project takes Django's own LoginRequiredMixin where login_required is used.
  const protector = candidates.find(fits) ?? (style === 'mixin' ? candidates.find((item) => item.label === 'login_required') : undefined);
  if (!protector) return undefined;
  const fix = fixFor(route, protector, facts, allFacts, allFiles);
  return { protector, ...(fix ? { fix } : {}) };
}

function fixFor(route: LinkedRoute, auth: ProjectAuthItem, facts: FileRouteFacts, allFacts: ReadonlyMap<string, FileRouteFacts>, allFiles: ReadonlySet<string>): FixHint | undefined {
  const insertion = route.insertion!;
  const imports: string[] = [];
  const need = (statement: string | null | undefined): boolean => {
    if (statement === null) return false;
    if (statement && !imports.includes(statement)) imports.push(statement);
    return true;
  };
  const edits: TextEdit[] = [];
  const label = auth.label;
  switch (insertion.style) {
    case 'decorator':
      if (!need(importFor(route.file, auth, facts, allFacts, allFiles))) return undefined;
      edits.push({ start: insertion.offset, end: insertion.offset, newText: `${insertion.indent ?? ''}@${label}\n` });
      break;
    case 'drf-decorator':
      if (!need(importFor(route.file, auth, facts, allFacts, allFiles))) return undefined;
      if (!defines(facts, 'permission_classes')) need('from rest_framework.decorators import permission_classes');
      edits.push({ start: insertion.offset, end: insertion.offset, newText: `${insertion.indent ?? ''}@permission_classes([${label}])\n` });
      break;
    case 'drf-class':
      if (!need(importFor(route.file, auth, facts, allFacts, allFiles))) return undefined;
      edits.push({ start: insertion.offset, end: insertion.offset, newText: `${insertion.indent ?? ''}permission_classes = [${label}]\n` });
      break;
    case 'drf-list':
      if (!need(importFor(route.file, auth, facts, allFacts, allFiles))) return undefined;
      edits.push({ start: insertion.offset, end: insertion.offset, newText: insertion.emptyList ? label : `${label}, ` });
      break;
    case 'mixin': {
      // A class-based view takes the mixin; the project's login_required stands for Django's LoginRequiredMixin.
      const mixin = /Mixin$/.test(label) ? auth : { ...auth, label: 'LoginRequiredMixin', importModule: 'django.contrib.auth.mixins', importName: 'LoginRequiredMixin' };
      if (!need(importFor(route.file, mixin, facts, allFacts, allFiles))) return undefined;
      edits.push({ start: insertion.offset, end: insertion.offset, newText: `${mixin.label}, ` });
      return { kind: 'edit', title: `Require authentication (${mixin.label})`, edits: withImports(edits, imports, facts), preferred: true };
    }
    case 'dependency':
      if (!need(importFor(route.file, auth, facts, allFacts, allFiles))) return undefined;
      if (!defines(facts, 'Depends')) need('from fastapi import Depends');
      edits.push({ start: insertion.offset, end: insertion.offset, newText: `, dependencies=[Depends(${label})]` });
      break;
    default:
      return undefined;
  }
  const shown = insertion.style === 'dependency' ? `Depends(${label})` : insertion.style === 'decorator' ? `@${label}` : label;
  return { kind: 'edit', title: `Require authentication (${shown})`, edits: withImports(edits, imports, facts), preferred: true };
}

/** The import statements a fix needs: a name joins the file's own `from module import …` when there is one, otherwise a new line goes after the imports. */
function withImports(edits: TextEdit[], imports: string[], facts: FileRouteFacts): TextEdit[] {
  const lines: string[] = [];
  const joined: TextEdit[] = [];
  for (const statement of imports) {
    const from = /^from (\S+) import (\w+)$/.exec(statement);
    const existing = from ? facts.imports.find((entry) => entry.module === from[1] && entry.appendAt !== undefined && entry.imported !== '*') : undefined;
    if (existing && from) joined.push({ start: existing.appendAt!, end: existing.appendAt!, newText: `, ${from[2]}` });
    else lines.push(statement);
  }
  const added = lines.length ? [{ start: facts.importsEnd, end: facts.importsEnd, newText: lines.map((statement) => `${statement}\n`).join('') }] : [];
  return [...added, ...joined, ...edits];
}

/**
 * The import that brings the auth item's first name into the route's file: undefined when none
 * is needed, null when it cannot be written safely.
 */
function importFor(file: string, auth: ProjectAuthItem, facts: FileRouteFacts, allFacts: ReadonlyMap<string, FileRouteFacts>, allFiles: ReadonlySet<string>): string | undefined | null {
  const root = auth.label.split(/[.(]/)[0];
  if (defines(facts, root)) return undefined;
  const name = auth.label.replace(/\(.*$/s, '');
  if (permissionClass(name) && !auth.importModule) return `from rest_framework.permissions import ${name}`;
  if (auth.importModule && auth.importName) {
    let module = auth.importModule;
    if (module.startsWith('.')) {
      const target = new PythonModuleResolver(allFiles).resolve(auth.usedIn, module);
      if (!target) return null;
      module = pythonModuleSpecifier(file, target, allFiles);
    }
    if (auth.importName === '*') return module === root ? `import ${module}` : `import ${module} as ${root}`;
    return `from ${module} import ${auth.importName}${auth.importName === root ? '' : ` as ${root}`}`;
  }
  if (auth.usedIn === file) return undefined;
  // Defined in the file that uses it (a decorator or dependency of that module).
  const usedIn = allFacts.get(auth.usedIn);
  if (!usedIn?.functions.some((fn) => fn.name === root)) return null;
  return `from ${pythonModuleSpecifier(file, auth.usedIn, allFiles)} import ${root}`;
}

function defines(facts: FileRouteFacts, name: string): boolean {
  return facts.imports.some((entry) => entry.local === name) || facts.functions.some((fn) => fn.name === name) || facts.routers.some((router) => router.name === name && !router.extends);
}

/** A label that reads as a decorator expression: `login_required`, `jwt_required()`, `auth.login_required`, `roles_required('admin')`. */
function isDecorator(label: string): boolean {
  if (!/^[A-Za-z_][\w.]*(\(.*\))?$/s.test(label) || /\n/.test(label)) return false;
  const name = label.replace(/\(.*$/s, '');
  if (/Mixin$|^(Is|Has)[A-Z]|(^|\.)method_decorator$|\.dispatch$|^admin\.site$/.test(name) || permissionClass(name)) return false;
  return true;
}

function isPermissionClass(label: string): boolean {
  return permissionClass(label) !== undefined || /^(Is|Has)[A-Z]\w*$/.test(label);
}

/** Whether a FastAPI auth item is an `Annotated` alias (`CurrentUser`), which goes in a parameter, not in `dependencies=`. */
function isAlias(item: ProjectAuthItem, allFacts: ReadonlyMap<string, FileRouteFacts>, allFiles: ReadonlySet<string>): boolean {
  let file: string | undefined = item.usedIn;
  let name = item.label;
  if (item.importModule && item.importName && item.importName !== '*') {
    file = new PythonModuleResolver(allFiles).resolve(item.usedIn, item.importModule);
    name = item.importName;
  }
  const fn = file ? allFacts.get(file)?.functions.find((candidate) => candidate.name === name) : undefined;
  return fn?.alias === true || (fn === undefined && knownAuthDecorator(name, undefined) === undefined && /^[A-Z]/.test(name));
}
