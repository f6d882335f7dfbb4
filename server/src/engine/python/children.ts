import type { PyExpr, PyKeyword, PyNode } from './ast';

/**
 * Calls `visit` for each direct child of `node`, in source order. The switch is exhaustive
 * over node types, so adding a node type without listing its children fails to compile.
 */
export function forEachChild(node: PyNode, visit: (child: PyNode) => void): void {
  switch (node.type) {
    case 'Module':
      each(node.body, visit);
      return;
    case 'FunctionDef':
      each(node.decorators, visit);
      each(node.params, visit);
      maybe(node.returns, visit);
      each(node.body, visit);
      return;
    case 'ClassDef':
      each(node.decorators, visit);
      argumentsInOrder(node.bases, node.keywords, visit);
      each(node.body, visit);
      return;
    case 'Assign':
      each(node.targets, visit);
      maybe(node.annotation, visit);
      maybe(node.value, visit);
      return;
    case 'Return':
      maybe(node.value, visit);
      return;
    case 'If':
    case 'While':
      visit(node.test);
      each(node.body, visit);
      each(node.orelse, visit);
      return;
    case 'For':
      visit(node.target);
      visit(node.iter);
      each(node.body, visit);
      each(node.orelse, visit);
      return;
    case 'With':
      each(node.items, visit);
      each(node.body, visit);
      return;
    case 'WithItem':
      visit(node.contextExpr);
      maybe(node.optionalVars, visit);
      return;
    case 'Try':
      each(node.body, visit);
      each(node.handlers, visit);
      each(node.orelse, visit);
      each(node.finalbody, visit);
      return;
    case 'ExceptHandler':
      maybe(node.exceptionType, visit);
      each(node.body, visit);
      return;
    case 'Raise':
      maybe(node.exc, visit);
      maybe(node.cause, visit);
      return;
    case 'Import':
    case 'ImportFrom':
      each(node.names, visit);
      return;
    case 'ExprStatement':
      visit(node.value);
      return;
    case 'Delete':
      each(node.targets, visit);
      return;
    case 'Assert':
      visit(node.test);
      maybe(node.msg, visit);
      return;
    case 'Match':
      visit(node.subject);
      each(node.cases, visit);
      return;
    case 'MatchCase':
      visit(node.pattern);
      maybe(node.guard, visit);
      each(node.body, visit);
      return;
    case 'ErrorStatement':
      maybe(node.partial, visit);
      each(node.expressions, visit);
      return;
    case 'Param':
      maybe(node.annotation, visit);
      maybe(node.default, visit);
      return;
    case 'Attribute':
      visit(node.value);
      return;
    case 'Call':
      visit(node.func);
      argumentsInOrder(node.args, node.keywords, visit);
      return;
    case 'Keyword':
      visit(node.value);
      return;
    case 'Subscript':
      visit(node.value);
      visit(node.slice);
      return;
    case 'Slice':
      maybe(node.lower, visit);
      maybe(node.upper, visit);
      maybe(node.step, visit);
      return;
    case 'Str':
      each(node.interpolations, visit);
      return;
    case 'FormattedValue':
      visit(node.expression);
      each(node.formatSpec, visit);
      return;
    case 'List':
    case 'Tuple':
    case 'Set':
      each(node.elts, visit);
      return;
    case 'Dict':
      for (let index = 0; index < node.values.length; index++) {
        const key = node.keys[index];
        if (key) visit(key);
        visit(node.values[index]);
      }
      return;
    case 'BinOp':
      visit(node.left);
      visit(node.right);
      return;
    case 'UnaryOp':
      visit(node.operand);
      return;
    case 'BoolOp':
      each(node.values, visit);
      return;
    case 'Compare':
      visit(node.left);
      each(node.comparators, visit);
      return;
    case 'IfExp':
      // Source order is `body if test else orelse`.
      visit(node.body);
      visit(node.test);
      visit(node.orelse);
      return;
    case 'Lambda':
      each(node.params, visit);
      visit(node.body);
      return;
    case 'Await':
    case 'Starred':
      visit(node.value);
      return;
    case 'Yield':
      maybe(node.value, visit);
      return;
    case 'NamedExpr':
      visit(node.target);
      visit(node.value);
      return;
    case 'ListComp':
    case 'SetComp':
    case 'GeneratorExp':
      visit(node.elt);
      each(node.generators, visit);
      return;
    case 'DictComp':
      visit(node.key);
      visit(node.value);
      each(node.generators, visit);
      return;
    case 'Comprehension':
      visit(node.target);
      visit(node.iter);
      each(node.ifs, visit);
      return;
    case 'Pass':
    case 'Break':
    case 'Continue':
    case 'Global':
    case 'Nonlocal':
    case 'Alias':
    case 'Name':
    case 'Num':
    case 'Constant':
    case 'ErrorExpr':
      return;
    default: {
      const unhandled: never = node;
      return unhandled;
    }
  }
}

// Module-level helpers rather than closures: this runs for every node of every parse.
function each(nodes: readonly PyNode[], visit: (child: PyNode) => void): void {
  for (let index = 0; index < nodes.length; index++) visit(nodes[index]);
}

function maybe(child: PyNode | undefined, visit: (child: PyNode) => void): void {
  if (child) visit(child);
}

/** Positional and keyword arguments interleave in source (`f(a, k=1, *rest)`); visit them in that order. */
function argumentsInOrder(args: readonly PyExpr[], keywords: readonly PyKeyword[], visit: (child: PyNode) => void): void {
  let a = 0;
  let k = 0;
  while (a < args.length || k < keywords.length) {
    if (k >= keywords.length || (a < args.length && args[a].start <= keywords[k].start)) visit(args[a++]);
    else visit(keywords[k++]);
  }
}

/** Sets `parent` on every node below `root`, iteratively (trees can be deeper than the call stack). */
export function linkParents(root: PyNode): void {
  const stack: PyNode[] = [root];
  let parent: PyNode = root;
  const link = (child: PyNode): void => {
    child.parent = parent;
    stack.push(child);
  };
  while (stack.length > 0) {
    parent = stack.pop()!;
    forEachChild(parent, link);
  }
}
