import type { PyCall, PyClassDef, PyExpr, PyFunctionDef, PyLambda, PyNode, PyNodeOf, PyNodeType } from './ast';
import { forEachChild } from './children';

export { forEachChild } from './children';

/**
 * Visits `root` and every node below it, parents before children, in source order.
 * Return `false` from `visit` to skip a node's children. Iterative, so deep trees (long
 * `a + b + …` chains, generated code) cannot overflow the stack.
 */
export function walkPython(root: PyNode, visit: (node: PyNode) => boolean | void): void {
  const stack: PyNode[] = [root];
  const children: PyNode[] = [];
  const collect = (child: PyNode): void => {
    children.push(child);
  };
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (visit(node) === false) continue;
    children.length = 0;
    forEachChild(node, collect);
    for (let index = children.length - 1; index >= 0; index--) stack.push(children[index]);
  }
}

/** Every node of one type below (and including) `root`, in source order. */
export function findAll<T extends PyNodeType>(root: PyNode, type: T): PyNodeOf<T>[] {
  const found: PyNodeOf<T>[] = [];
  walkPython(root, (node) => {
    if (node.type === type) found.push(node as PyNodeOf<T>);
  });
  return found;
}

/** The source text of a node. */
export function nodeText(text: string, node: { start: number; end: number }): string {
  return text.slice(node.start, node.end);
}

/** `request.args.get` for a Name/Attribute chain; undefined when anything else is in it (a call, a subscript). */
export function dottedName(expr: PyExpr | undefined): string | undefined {
  const names: string[] = [];
  let current = expr;
  while (current && current.type === 'Attribute') {
    names.push(current.attr);
    current = current.value;
  }
  if (!current || current.type !== 'Name') return undefined;
  names.push(current.id);
  return names.reverse().join('.');
}

/**
 * The callee of a call as readable text: `cursor.execute`, `db.session.execute`, and — for
 * chains through calls and subscripts — `get_db().cursor().execute` or `app.config[].get`.
 * Undefined when the chain does not start at a name (`"".join`, `(a or b).run`).
 */
export function callName(call: PyCall): string | undefined {
  const segments: string[] = [];
  let current: PyExpr = call.func;
  for (;;) {
    if (current.type === 'Name') {
      segments.push(current.id);
      return segments.reverse().join('');
    }
    if (current.type === 'Attribute') {
      segments.push(`.${current.attr}`);
      current = current.value;
    } else if (current.type === 'Call') {
      segments.push('()');
      current = current.func;
    } else if (current.type === 'Subscript') {
      segments.push('[]');
      current = current.value;
    } else {
      return undefined;
    }
  }
}

/** The last name of the callee: `execute` for `db.cursor().execute(…)`, `open` for `open(…)`. */
export function calleeName(call: PyCall): string | undefined {
  if (call.func.type === 'Name') return call.func.id;
  if (call.func.type === 'Attribute') return call.func.attr;
  return undefined;
}

/** The value of keyword argument `name` (`shell` in `run(cmd, shell=True)`). */
export function keywordArg(call: PyCall, name: string): PyExpr | undefined {
  for (const keyword of call.keywords) if (keyword.arg === name) return keyword.value;
  return undefined;
}

/** The positional argument at `index`, unless a `*args` comes before it (then its position is unknown). */
export function positionalArg(call: PyCall, index: number): PyExpr | undefined {
  for (let i = 0; i <= index && i < call.args.length; i++) if (call.args[i].type === 'Starred') return undefined;
  return call.args[index];
}

/** The text of a plain string literal (concatenated parts included); undefined for f-strings and everything else. */
export function stringValue(expr: PyExpr | undefined): string | undefined {
  return expr && expr.type === 'Str' ? expr.value : undefined;
}

/** `app.route` for `@app.route('/x')`, `login_required` for `@login_required`. */
export function decoratorName(decorator: PyExpr): string | undefined {
  return dottedName(decorator.type === 'Call' ? decorator.func : decorator);
}

/** The innermost function (def or lambda is not counted: only `def`) that contains `node`. */
export function enclosingFunction(node: PyNode): PyFunctionDef | undefined {
  for (let current = node.parent; current; current = current.parent) if (current.type === 'FunctionDef') return current;
  return undefined;
}

/** The innermost function or lambda containing `node`: where a local variable lives. */
export function enclosingScope(node: PyNode): PyFunctionDef | PyLambda | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'FunctionDef' || current.type === 'Lambda') return current;
  }
  return undefined;
}

/** The innermost class containing `node`. */
export function enclosingClass(node: PyNode): PyClassDef | undefined {
  for (let current = node.parent; current; current = current.parent) if (current.type === 'ClassDef') return current;
  return undefined;
}
