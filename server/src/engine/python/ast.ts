/**
 * The Python syntax tree that route discovery and input analysis are built on.
 *
 * `parsePython(text)` (parser.ts) returns a `PyModule`. Every node has
 *   - `type`   the discriminant listed below,
 *   - `start`, `end`  UTF-16 offsets into the text (end exclusive) — map them through a line
 *              index to get LSP ranges,
 *   - `parent` the enclosing node, set once parsing is done (undefined on the module).
 * Shapes follow Python's own `ast` module where that is convenient and are simpler where
 * detectors do not need the detail. Broken code never throws: what cannot be parsed becomes
 * an `ErrorStatement` or `ErrorExpr`, and `PyModule.errors` says what went wrong where.
 * (`parent` makes the tree cyclic: give JSON.stringify a replacer that drops it.)
 *
 * Helpers: walk.ts (walkPython, findAll, forEachChild, nodeText, dottedName, callName,
 * calleeName, keywordArg, positionalArg, stringValue, decoratorName, enclosingFunction,
 * enclosingScope, enclosingClass); tokens: tokenizer.ts (tokenizePython, tokenizeRange).
 *
 * STATEMENTS (PyStatement)
 *   FunctionDef   name, nameStart, nameEnd, isAsync, decorators: PyExpr[], params: PyParam[],
 *                 returns?: PyExpr, body. `start` is the `def` (or `async`) keyword; each
 *                 decorator expression (`app.route('/x')`, `login_required`) has its own span.
 *   ClassDef      name, nameStart, nameEnd, decorators, bases: PyExpr[], keywords: PyKeyword[]
 *                 (e.g. metaclass=…), body
 *   Assign        kind: 'plain' | 'augmented' | 'annotated' | 'typeAlias'; targets: PyExpr[]
 *                 (`a = b = 1` has two); value?: PyExpr (absent for `x: int`); op?: '+=' …
 *                 (augmented); annotation?: PyExpr (annotated). `type X = int` is a typeAlias.
 *   Return        value?
 *   If            test, body, orelse (an `elif` is an If with isElif: true inside orelse)
 *   For           isAsync, target, iter, body, orelse
 *   While         test, body, orelse
 *   With          isAsync, items: PyWithItem[], body
 *   Try           body, handlers: PyExceptHandler[], orelse, finalbody
 *   Raise         exc?, cause?
 *   Import        names: PyAlias[]                        `import os.path as p`
 *   ImportFrom    module?: string, names: PyAlias[], level `from ..models import User as U`
 *                 (level = number of leading dots; module undefined for `from . import x`)
 *   ExprStatement value
 *   Pass, Break, Continue
 *   Global        names: string[]      Nonlocal  names: string[]
 *   Delete        targets              Assert    test, msg?
 *   Match         subject, cases: PyMatchCase[]   (patterns are parsed as expressions)
 *   ErrorStatement message, partial?: PyStatement (what parsed before the junk),
 *                 expressions: PyExpr[] (expressions recovered from the rest of the line,
 *                 e.g. `print "x" % name` in Python 2, or decorators with nothing to decorate)
 *
 * EXPRESSIONS (PyExpr)
 *   Name          id
 *   Attribute     value, attr, attrStart (attr is '' while the user is still typing `request.`)
 *   Call          func, args: PyExpr[] (Starred for *a), keywords: PyKeyword[] (arg undefined for **kw)
 *   Subscript     value, slice (a Tuple for `a[1, 2]`, a Slice for `a[1:2]`)
 *   Slice         lower?, upper?, step?
 *   Str           adjacent literals joined into one: parts: PyStrPart[]; prefix (first part's,
 *                 as written); isFString (any part f/t); isBytes; value: the decoded text, or
 *                 undefined when any part is an f-string; interpolations: PyFormattedValue[]
 *                 (every `{…}` of every part, in order)
 *   Num           raw (source text), value (NaN when JavaScript cannot represent it)
 *   Constant      value: 'True' | 'False' | 'None' | 'Ellipsis'
 *   List, Set     elts          Tuple  elts, parenthesized
 *   Dict          keys: (PyExpr | null)[] (null for `**spread`), values: PyExpr[]
 *   BinOp         left, op ('+', '-', '*', '@', '/', '//', '%', '**', '<<', '>>', '|', '^', '&'), right
 *   UnaryOp       op ('not', '-', '+', '~'), operand
 *   BoolOp        op ('and' | 'or'), values
 *   Compare       left, ops ('<', '>', '==', '>=', '<=', '!=', 'in', 'not in', 'is', 'is not'), comparators
 *   IfExp         test, body, orelse          Lambda  params: PyParam[], body
 *   Await         value                       Yield   value?, isFrom
 *   ListComp, SetComp, GeneratorExp  elt, generators: PyComprehension[]
 *   DictComp      key, value, generators
 *   Starred       value                       NamedExpr target, value (`:=`)
 *   ErrorExpr     message (zero width when something was missing)
 *
 * OTHER NODES
 *   Param         name, kind ('positionalOnly' | 'positional' | 'vararg' | 'keywordOnly' |
 *                 'kwarg'), annotation?, default?   — `def create(item: Item, user=Depends(auth))`
 *   Keyword       arg?: string (undefined for **kw), value
 *   Alias         name (dotted), asname?
 *   WithItem      contextExpr, optionalVars?
 *   ExceptHandler exceptionType?, name?, isStar, body
 *   Comprehension target, iter, ifs, isAsync
 *   MatchCase     pattern, asName?, guard?, body
 *   FormattedValue expression, conversion? ('r' | 's' | 'a'), selfDocumenting, formatSpec: PyFormattedValue[]
 *   Module        body, comments: PyComment[], errors: PyParseError[]
 *
 * LIMITS
 *   - Trees can be deep (`a + b + …` nests left, generated code nests anything): walk them
 *     with walkPython/findAll (iterative), not with recursion of your own.
 *   - Past 100 levels of nesting (brackets, unary operators, lambdas, blocks) the rest of
 *     that level becomes one ErrorExpr/ErrorStatement, so the parser's stack stays small.
 *   - A bracket left unclosed while typing ends at the next line that can only start a
 *     statement (`def`, `class`, `return`, `import`, `@decorator`, …), not at the file end.
 *   - Not modelled: type parameter lists (`def f[T]()`, `type A[T] = …` — skipped); Python 2
 *     `print`/`exec` statements and backticks (ErrorStatement with the expressions
 *     recovered); `case` patterns beyond what expressions express (`case Point(x=0)` is a
 *     Call, `case 1 | 2` a BinOp, `as` only at the top level as `asName`); comments inside
 *     f-string fields, and line breaks inside a one-line f-string's field other than within
 *     brackets (Python 3.12 allows both).
 */

export interface PyNodeBase {
  start: number;
  end: number;
  parent?: PyNode;
}

export interface PyComment {
  start: number;
  end: number;
  text: string;
}

export interface PyParseError {
  start: number;
  end: number;
  message: string;
}

export interface PyModule extends PyNodeBase {
  type: 'Module';
  body: PyStatement[];
  comments: PyComment[];
  errors: PyParseError[];
}

// ---- statements -------------------------------------------------------------------------

export interface PyFunctionDef extends PyNodeBase {
  type: 'FunctionDef';
  name: string;
  nameStart: number;
  nameEnd: number;
  isAsync: boolean;
  decorators: PyExpr[];
  params: PyParam[];
  returns?: PyExpr;
  body: PyStatement[];
}

export type PyParamKind = 'positionalOnly' | 'positional' | 'vararg' | 'keywordOnly' | 'kwarg';

export interface PyParam extends PyNodeBase {
  type: 'Param';
  name: string;
  kind: PyParamKind;
  annotation?: PyExpr;
  default?: PyExpr;
}

export interface PyClassDef extends PyNodeBase {
  type: 'ClassDef';
  name: string;
  nameStart: number;
  nameEnd: number;
  decorators: PyExpr[];
  bases: PyExpr[];
  keywords: PyKeyword[];
  body: PyStatement[];
}

export interface PyAssign extends PyNodeBase {
  type: 'Assign';
  kind: 'plain' | 'augmented' | 'annotated' | 'typeAlias';
  targets: PyExpr[];
  value?: PyExpr;
  op?: string;
  annotation?: PyExpr;
}

export interface PyReturn extends PyNodeBase {
  type: 'Return';
  value?: PyExpr;
}

export interface PyIf extends PyNodeBase {
  type: 'If';
  test: PyExpr;
  body: PyStatement[];
  orelse: PyStatement[];
  isElif: boolean;
}

export interface PyFor extends PyNodeBase {
  type: 'For';
  isAsync: boolean;
  target: PyExpr;
  iter: PyExpr;
  body: PyStatement[];
  orelse: PyStatement[];
}

export interface PyWhile extends PyNodeBase {
  type: 'While';
  test: PyExpr;
  body: PyStatement[];
  orelse: PyStatement[];
}

export interface PyWith extends PyNodeBase {
  type: 'With';
  isAsync: boolean;
  items: PyWithItem[];
  body: PyStatement[];
}

export interface PyWithItem extends PyNodeBase {
  type: 'WithItem';
  contextExpr: PyExpr;
  optionalVars?: PyExpr;
}

export interface PyTry extends PyNodeBase {
  type: 'Try';
  body: PyStatement[];
  handlers: PyExceptHandler[];
  orelse: PyStatement[];
  finalbody: PyStatement[];
}

export interface PyExceptHandler extends PyNodeBase {
  type: 'ExceptHandler';
  exceptionType?: PyExpr;
  name?: string;
  isStar: boolean;
  body: PyStatement[];
}

export interface PyRaise extends PyNodeBase {
  type: 'Raise';
  exc?: PyExpr;
  cause?: PyExpr;
}

export interface PyImport extends PyNodeBase {
  type: 'Import';
  names: PyAlias[];
}

export interface PyImportFrom extends PyNodeBase {
  type: 'ImportFrom';
  module?: string;
  names: PyAlias[];
  level: number;
}

export interface PyAlias extends PyNodeBase {
  type: 'Alias';
  name: string;
  asname?: string;
}

export interface PyExprStatement extends PyNodeBase {
  type: 'ExprStatement';
  value: PyExpr;
}

export interface PyPass extends PyNodeBase {
  type: 'Pass';
}

export interface PyBreak extends PyNodeBase {
  type: 'Break';
}

export interface PyContinue extends PyNodeBase {
  type: 'Continue';
}

export interface PyGlobal extends PyNodeBase {
  type: 'Global';
  names: string[];
}

export interface PyNonlocal extends PyNodeBase {
  type: 'Nonlocal';
  names: string[];
}

export interface PyDelete extends PyNodeBase {
  type: 'Delete';
  targets: PyExpr[];
}

export interface PyAssert extends PyNodeBase {
  type: 'Assert';
  test: PyExpr;
  msg?: PyExpr;
}

export interface PyMatch extends PyNodeBase {
  type: 'Match';
  subject: PyExpr;
  cases: PyMatchCase[];
}

export interface PyMatchCase extends PyNodeBase {
  type: 'MatchCase';
  pattern: PyExpr;
  asName?: string;
  guard?: PyExpr;
  body: PyStatement[];
}

export interface PyErrorStatement extends PyNodeBase {
  type: 'ErrorStatement';
  message: string;
  partial?: PyStatement;
  expressions: PyExpr[];
}

export type PyStatement =
  | PyFunctionDef
  | PyClassDef
  | PyAssign
  | PyReturn
  | PyIf
  | PyFor
  | PyWhile
  | PyWith
  | PyTry
  | PyRaise
  | PyImport
  | PyImportFrom
  | PyExprStatement
  | PyPass
  | PyBreak
  | PyContinue
  | PyGlobal
  | PyNonlocal
  | PyDelete
  | PyAssert
  | PyMatch
  | PyErrorStatement;

// ---- expressions ------------------------------------------------------------------------

export interface PyName extends PyNodeBase {
  type: 'Name';
  id: string;
}

export interface PyAttribute extends PyNodeBase {
  type: 'Attribute';
  value: PyExpr;
  attr: string;
  attrStart: number;
}

export interface PyCall extends PyNodeBase {
  type: 'Call';
  func: PyExpr;
  args: PyExpr[];
  keywords: PyKeyword[];
}

export interface PyKeyword extends PyNodeBase {
  type: 'Keyword';
  arg?: string;
  value: PyExpr;
}

export interface PySubscript extends PyNodeBase {
  type: 'Subscript';
  value: PyExpr;
  slice: PyExpr;
}

export interface PySlice extends PyNodeBase {
  type: 'Slice';
  lower?: PyExpr;
  upper?: PyExpr;
  step?: PyExpr;
}

/** One literal of a (possibly implicitly concatenated) string. Not a node: it has no parent. */
export interface PyStrPart {
  start: number;
  end: number;
  prefix: string;
  quote: '"' | "'";
  triple: boolean;
  raw: boolean;
  bytes: boolean;
  formatted: boolean;
  template: boolean;
  terminated: boolean;
  /** Decoded text; undefined for f-strings and t-strings. */
  value?: string;
}

export interface PyStr extends PyNodeBase {
  type: 'Str';
  prefix: string;
  isFString: boolean;
  isBytes: boolean;
  value?: string;
  parts: PyStrPart[];
  interpolations: PyFormattedValue[];
}

export interface PyFormattedValue extends PyNodeBase {
  type: 'FormattedValue';
  expression: PyExpr;
  conversion?: string;
  selfDocumenting: boolean;
  formatSpec: PyFormattedValue[];
}

export interface PyNum extends PyNodeBase {
  type: 'Num';
  raw: string;
  value: number;
}

export interface PyConstant extends PyNodeBase {
  type: 'Constant';
  value: 'True' | 'False' | 'None' | 'Ellipsis';
}

export interface PyList extends PyNodeBase {
  type: 'List';
  elts: PyExpr[];
}

export interface PyTuple extends PyNodeBase {
  type: 'Tuple';
  elts: PyExpr[];
  parenthesized: boolean;
}

export interface PySet extends PyNodeBase {
  type: 'Set';
  elts: PyExpr[];
}

export interface PyDict extends PyNodeBase {
  type: 'Dict';
  keys: (PyExpr | null)[];
  values: PyExpr[];
}

export interface PyBinOp extends PyNodeBase {
  type: 'BinOp';
  left: PyExpr;
  op: string;
  right: PyExpr;
}

export interface PyUnaryOp extends PyNodeBase {
  type: 'UnaryOp';
  op: 'not' | '-' | '+' | '~';
  operand: PyExpr;
}

export interface PyBoolOp extends PyNodeBase {
  type: 'BoolOp';
  op: 'and' | 'or';
  values: PyExpr[];
}

export interface PyCompare extends PyNodeBase {
  type: 'Compare';
  left: PyExpr;
  ops: string[];
  comparators: PyExpr[];
}

export interface PyIfExp extends PyNodeBase {
  type: 'IfExp';
  test: PyExpr;
  body: PyExpr;
  orelse: PyExpr;
}

export interface PyLambda extends PyNodeBase {
  type: 'Lambda';
  params: PyParam[];
  body: PyExpr;
}

export interface PyAwait extends PyNodeBase {
  type: 'Await';
  value: PyExpr;
}

export interface PyComprehension extends PyNodeBase {
  type: 'Comprehension';
  isAsync: boolean;
  target: PyExpr;
  iter: PyExpr;
  ifs: PyExpr[];
}

export interface PyListComp extends PyNodeBase {
  type: 'ListComp';
  elt: PyExpr;
  generators: PyComprehension[];
}

export interface PySetComp extends PyNodeBase {
  type: 'SetComp';
  elt: PyExpr;
  generators: PyComprehension[];
}

export interface PyGeneratorExp extends PyNodeBase {
  type: 'GeneratorExp';
  elt: PyExpr;
  generators: PyComprehension[];
}

export interface PyDictComp extends PyNodeBase {
  type: 'DictComp';
  key: PyExpr;
  value: PyExpr;
  generators: PyComprehension[];
}

export interface PyStarred extends PyNodeBase {
  type: 'Starred';
  value: PyExpr;
}

export interface PyNamedExpr extends PyNodeBase {
  type: 'NamedExpr';
  target: PyExpr;
  value: PyExpr;
}

export interface PyYield extends PyNodeBase {
  type: 'Yield';
  value?: PyExpr;
  isFrom: boolean;
}

export interface PyErrorExpr extends PyNodeBase {
  type: 'ErrorExpr';
  message: string;
}

export type PyExpr =
  | PyName
  | PyAttribute
  | PyCall
  | PySubscript
  | PySlice
  | PyStr
  | PyNum
  | PyConstant
  | PyList
  | PyTuple
  | PySet
  | PyDict
  | PyBinOp
  | PyUnaryOp
  | PyBoolOp
  | PyCompare
  | PyIfExp
  | PyLambda
  | PyAwait
  | PyListComp
  | PySetComp
  | PyGeneratorExp
  | PyDictComp
  | PyStarred
  | PyNamedExpr
  | PyYield
  | PyErrorExpr;

export type PyNode =
  | PyModule
  | PyStatement
  | PyExpr
  | PyParam
  | PyKeyword
  | PyAlias
  | PyWithItem
  | PyExceptHandler
  | PyComprehension
  | PyMatchCase
  | PyFormattedValue;

export type PyNodeType = PyNode['type'];

/** The node interface for a `type` string: `PyNodeOf<'Call'>` is `PyCall`. */
export type PyNodeOf<T extends PyNodeType> = Extract<PyNode, { type: T }>;
