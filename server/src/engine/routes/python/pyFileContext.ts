import type { FileContext } from '../../fileContext';
import type { PyAssign, PyCall, PyClassDef, PyExpr, PyFunctionDef, PyModule, PyNode, PyStatement } from '../../python/ast';
import { walkPython } from '../../python/walk';
import type { ImportFact, SourceSpan, ValueRef } from '../routeFacts';

/**
 * Per-file state shared by the Python route extractors: the parse tree, what each local name
 * refers to (an import, a function or class, a router), the nodes the extractors look at —
 * collected in one walk over the tree — and span construction.
 *
 * Imports are recorded as written: `from .views import detail` is module '.views', imported
 * 'detail'; `import app.views` is local 'app.views', module 'app.views', imported '*'.
 */
export class PyFileContext {
  readonly imports = new Map<string, ImportFact>();
  /** Modules of `from x import *`, in order: where an otherwise unknown name may come from. */
  readonly starImports: string[] = [];
  /** Top-level functions and classes by name. */
  readonly functions = new Map<string, PyFunctionDef>();
  readonly classes = new Map<string, PyClassDef>();
  /** Top-level `name = value` assignments (the last one wins). */
  readonly assignments = new Map<string, PyExpr>();
  /** Names of apps and routers (Flask, Blueprint, FastAPI, APIRouter, urlpatterns, DRF routers) used in this file. */
  readonly routerNames = new Set<string>();
  /** Other top-level names with auth facts of their own: security schemes, Annotated aliases, `x = View.as_view()`. */
  readonly definedNames = new Set<string>();
  readonly authFunctionNames: ReadonlySet<string>;

  /** Every def (nested ones too: app factories declare routes inside `create_app`), in source order. */
  readonly allFunctions: PyFunctionDef[] = [];
  readonly allClasses: PyClassDef[] = [];
  readonly calls: PyCall[] = [];
  readonly assigns: PyAssign[] = [];

  constructor(readonly file: FileContext, readonly module: PyModule) {
    this.authFunctionNames = new Set(file.config.authFunctions);
    this.collect();
  }

  get text(): string {
    return this.file.text;
  }

  span(node: { start: number; end: number }): SourceSpan {
    return this.spanBetween(node.start, node.end);
  }

  spanBetween(start: number, end: number): SourceSpan {
    const range = this.file.rangeOf(start, end);
    return { range, start, end, lineText: this.file.lines.lineText(range.start.line) };
  }

  /** Source text of a node, shortened for labels. */
  label(node: { start: number; end: number }): string {
    const raw = this.file.text.slice(node.start, node.end).replace(/\s*\n\s*/g, ' ');
    return raw.length > 80 ? `${raw.slice(0, 77)}…` : raw;
  }

  /** The import that brings the first part of a dotted name into the file (the longest dotted local that matches). */
  importOf(name: string): ImportFact | undefined {
    const direct = this.imports.get(name);
    if (direct) return direct;
    const parts = name.split('.');
    for (let length = parts.length - 1; length >= 1; length--) {
      const found = this.imports.get(parts.slice(0, length).join('.'));
      if (found) return found;
    }
    return undefined;
  }

  /** Whether a name is defined in this file (function, class, router or another name with facts). */
  defines(name: string): boolean {
    return this.functions.has(name) || this.classes.has(name) || this.definedNames.has(name) || this.routerNames.has(name);
  }

  /** What a (dotted) name refers to, for resolution across files. */
  refOf(name: string): ValueRef | undefined {
    if (this.routerNames.has(name)) return { kind: 'router', name };
    if (this.defines(name)) return { kind: 'function', name };
    const imported = this.imports.get(name);
    if (imported) return { kind: 'import', module: imported.module, imported: imported.imported, local: name };
    const parts = name.split('.');
    for (let length = parts.length - 1; length >= 1; length--) {
      const base = parts.slice(0, length).join('.');
      if (!this.imports.has(base) && !(length === 1 && this.defines(base))) continue;
      let ref: ValueRef = this.refOf(base)!;
      for (const property of parts.slice(length)) ref = { kind: 'member', object: ref, property };
      return ref;
    }
    // `from .views import *` then `views.detail`-less use of `detail`: the first star import is the best guess.
    if (parts.length === 1 && this.starImports.length > 0 && !/^[A-Z_]+$/.test(name)) {
      return { kind: 'import', module: this.starImports[0], imported: name, local: name };
    }
    return undefined;
  }

  /** The module a name was imported from, for matching known decorators and calls: 'flask_login', 'fastapi.security'. */
  moduleOf(name: string): string | undefined {
    return this.importOf(name)?.module;
  }

  /** The imported name behind a local one (`from flask_login import login_required as lr` → 'login_required'). */
  originalName(name: string): string {
    const imported = this.imports.get(name);
    if (imported && imported.imported !== '*') return imported.imported;
    return name;
  }

  /** Indentation of the line a node starts on. */
  indentAt(offset: number): string {
    const line = this.file.lines.positionAt(offset).line;
    return /^[ \t]*/.exec(this.file.lines.lineText(line))![0];
  }

  /** Start offset of the line `offset` is on. */
  lineStartAt(offset: number): number {
    return this.file.lines.lineStart(this.file.lines.positionAt(offset).line);
  }

  private collect(): void {
    const nestedImports: PyStatement[] = [];
    walkPython(this.module, (node: PyNode) => {
      switch (node.type) {
        case 'FunctionDef':
          this.allFunctions.push(node);
          break;
        case 'ClassDef':
          this.allClasses.push(node);
          break;
        case 'Call':
          this.calls.push(node);
          break;
        case 'Assign':
          this.assigns.push(node);
          break;
        case 'Import':
        case 'ImportFrom':
          if (node.parent?.type !== 'Module') nestedImports.push(node);
          return false;
        case 'Str':
        case 'Num':
        case 'Constant':
          return false;
      }
      return undefined;
    });
    for (const statement of this.module.body) {
      const actual = statement.type === 'ErrorStatement' && statement.partial ? statement.partial : statement;
      switch (actual.type) {
        case 'Import':
        case 'ImportFrom':
          this.addImport(actual);
          break;
        case 'FunctionDef':
          this.functions.set(actual.name, actual);
          break;
        case 'ClassDef':
          this.classes.set(actual.name, actual);
          break;
        case 'Assign':
          if (actual.value && (actual.kind === 'plain' || actual.kind === 'annotated')) {
            for (const target of actual.targets) if (target.type === 'Name') this.assignments.set(target.id, actual.value);
          }
          break;
        case 'If':
        case 'Try':
          // `try: import x except ImportError: …` and `if TYPE_CHECKING:` imports count as top level.
          for (const inner of [...actual.body, ...(actual.type === 'If' ? actual.orelse : [...actual.handlers.flatMap((handler) => handler.body), ...actual.orelse])]) {
            if (inner.type === 'Import' || inner.type === 'ImportFrom') this.addImport(inner);
          }
          break;
      }
    }
    // Imports inside functions (app factories import their blueprints there) fill in what the top level lacks.
    for (const statement of nestedImports) this.addImport(statement, false);
  }

  private addImport(statement: PyStatement, override = true): void {
    const set = (fact: ImportFact): void => {
      if (override || !this.imports.has(fact.local)) this.imports.set(fact.local, fact);
    };
    if (statement.type === 'Import') {
      for (const alias of statement.names) {
        if (!alias.name) continue;
        set({ local: alias.asname ?? alias.name, module: alias.name, imported: '*' });
      }
    } else if (statement.type === 'ImportFrom') {
      const module = '.'.repeat(statement.level) + (statement.module ?? '');
      if (!module) return;
      const last = statement.names[statement.names.length - 1];
      const appendAt = override && last && last.name && last.name !== '*' && statement.parent?.type === 'Module' ? last.end : undefined;
      for (const alias of statement.names) {
        if (alias.name === '*') {
          if (!this.starImports.includes(module)) this.starImports.push(module);
          continue;
        }
        if (!alias.name) continue;
        set({ local: alias.asname ?? alias.name, module, imported: alias.name, ...(appendAt !== undefined ? { appendAt } : {}) });
      }
    }
  }
}
