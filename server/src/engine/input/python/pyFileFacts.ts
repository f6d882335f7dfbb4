import type { PyClassDef, PyExpr, PyModule } from '../../python/ast';
import { dottedName, walkPython } from '../../python/walk';
import type { PyInputData } from './pyRuleData';
import type { PyModuleRef } from './pyValues';

/**
 * What the input analysis needs to know about a Python file before following values: what
 * each imported name refers to, which frameworks it uses, and what the classes it defines
 * (or imports) are for — validation (pydantic, forms, serializers, schemas) or storage.
 */

export type ClassRole = 'model' | 'form' | 'schema' | 'enum' | 'other';

export interface PyFileFacts {
  /** Local name → the module (and attribute path) it was imported as. Imports anywhere in the file count. */
  imports: Map<string, PyModuleRef>;
  /** Every module imported, as written (`os.path`, `flask`, `.models`). */
  modules: Set<string>;
  frameworks: Set<'flask' | 'django' | 'fastapi'>;
  /** Classes defined in the file, by name. */
  classes: Map<string, { node: PyClassDef; role: ClassRole }>;
}

export function collectPyFileFacts(module: PyModule, data: PyInputData): PyFileFacts {
  const imports = new Map<string, PyModuleRef>();
  const modules = new Set<string>();
  const classNodes: PyClassDef[] = [];
  walkPython(module, (node) => {
    if (node.type === 'Import') {
      for (const alias of node.names) {
        modules.add(alias.name);
        if (alias.asname) imports.set(alias.asname, { name: alias.name, path: [] });
        else {
          const top = alias.name.split('.')[0];
          if (!imports.has(top)) imports.set(top, { name: top, path: [] });
        }
      }
      return false;
    }
    if (node.type === 'ImportFrom') {
      const from = `${'.'.repeat(node.level)}${node.module ?? ''}`;
      modules.add(from);
      for (const alias of node.names) {
        if (alias.name === '*') continue;
        imports.set(alias.asname ?? alias.name, { name: from, path: [alias.name] });
        if (node.level === 0) modules.add(`${from}.${alias.name}`);
      }
      return false;
    }
    if (node.type === 'ClassDef') classNodes.push(node);
    return undefined;
  });

  const frameworks = new Set<'flask' | 'django' | 'fastapi'>();
  for (const module of modules) {
    const top = module.split('.')[0];
    for (const framework of ['flask', 'django', 'fastapi'] as const) {
      if (data.frameworkModules[framework].has(top) || data.frameworkModules[framework].has(module)) frameworks.add(framework);
    }
  }

  const classes = new Map<string, { node: PyClassDef; role: ClassRole }>();
  // Source order settles most inheritance (`class ItemCreate(ItemBase)`); a second pass the rest.
  for (let pass = 0; pass < 2; pass++) {
    for (const node of classNodes) {
      const role = classRole(node, classes, imports, data);
      classes.set(node.name, { node, role });
    }
  }
  return { imports, modules, frameworks, classes };
}

function classRole(node: PyClassDef, known: ReadonlyMap<string, { role: ClassRole }>, imports: ReadonlyMap<string, PyModuleRef>, data: PyInputData): ClassRole {
  for (const base of node.bases) {
    const name = dottedName(base.type === 'Subscript' ? base.value : base);
    if (!name) continue;
    const last = name.split('.').pop()!;
    const local = known.get(name);
    if (local && local.role !== 'other') return local.role;
    if (data.enumBases.test(last)) return 'enum';
    if (data.formBases.test(last)) return 'form';
    if (data.schemaBases.test(last) && !isPydanticImport(name, imports)) return 'schema';
    if (data.modelBases.test(last)) return tableModel(node) ? 'other' : 'model';
    const imported = imports.get(name.split('.')[0]);
    if (imported && !local) {
      const role = importedClassRole(last, imported, data);
      if (role !== 'other') return role;
    }
  }
  return 'other';
}

/** `class Hero(SQLModel, table=True)` is a database table: constructing it does not validate. */
function tableModel(node: PyClassDef): boolean {
  return node.keywords.some((keyword) => keyword.arg === 'table' && keyword.value.type === 'Constant' && keyword.value.value === 'True');
}

/** Django Ninja's `Schema` is pydantic; marshmallow's `Schema` needs `.load()`. */
function isPydanticImport(name: string, imports: ReadonlyMap<string, PyModuleRef>): boolean {
  const imported = imports.get(name.split('.')[0]);
  return !!imported && /^(ninja|pydantic)/.test(imported.name);
}

/** What an imported class is for, from its module (`.schemas`, `.forms`) and name (`UserForm`, `UserSchema`). */
export function importedClassRole(name: string, imported: PyModuleRef, data: PyInputData): ClassRole {
  if (!/^[A-Z]/.test(name)) return 'other';
  const module = imported.path.length > 1 ? `${imported.name}.${imported.path.slice(0, -1).join('.')}` : imported.name;
  if (data.formNames.test(name)) return 'form';
  if (data.schemaNames.test(name)) return /^(ninja|pydantic)/.test(module) ? 'model' : 'schema';
  if (data.validatedModules.test(module)) return 'model';
  return 'other';
}

/** The full dotted name of an imported reference: `os.path.join`. */
export function qualifiedName(ref: PyModuleRef): string {
  return ref.path.length ? `${ref.name}.${ref.path.join('.')}` : ref.name;
}

/** Whether one of these packages is imported in the file or is a dependency of its project. */
export function pyLibraryPresent(facts: PyFileFacts, dependencies: ReadonlySet<string>, libraries: readonly string[]): boolean {
  for (const library of libraries) {
    if (dependencies.has(library) || dependencies.has(library.toLowerCase().replace(/_/g, '-'))) return true;
    for (const module of facts.modules) if (module === library || module.startsWith(`${library}.`)) return true;
  }
  return false;
}

/** The last name of a type annotation or base (`Optional` for `typing.Optional[str]`). */
export function lastName(expr: PyExpr | undefined): string | undefined {
  const name = dottedName(expr);
  return name?.split('.').pop();
}
