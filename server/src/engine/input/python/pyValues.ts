import type { PyFunctionDef, PyLambda, PyNode } from '../../python/ast';
import type { FixHint } from '../../types';
import { addTaints, followPath, instantiateTaints, throughParameter, type ParamOriginOf, type TaintOf, type ViaOf } from '../shared/taintCore';
import type { PySinkPattern } from './pyRuleData';
import type { RemoteSink } from '../moduleSinks';

/**
 * The abstract values of the Python input analysis: what a Python value may carry from the
 * request (taints), and the little else it needs (dict keys and object attributes, framework
 * objects, imported modules, local functions, constant text). The same model as the
 * JavaScript analysis (../taint.ts), over Python syntax nodes; the kind bits, the shape of a
 * taint, string shapes and the arithmetic on taints are shared (../shared/taintCore.ts).
 */

export { ALL_KINDS, KIND_BITS, TAINT_MARK, UNKNOWN_MARK, addTaints, clean, concatenate, isTainted, meets, shapeOf, shapeText } from '../shared/taintCore';

export type PyFunctionNode = PyFunctionDef | PyLambda;

/** Request input read in a handler, or (while a function's summary is computed) one of its parameters. */
export type PyOrigin = { kind: 'source'; location: string } | ParamOriginOf<PyNode>;

export type PyVia = ViaOf<PyNode>;

export type PyTaint = TaintOf<PyOrigin, PyNode>;

export interface PySummary {
  returns: PyValue | undefined;
  hits: PySinkHit[];
}

export interface PyFunctionRef {
  node: PyFunctionNode;
  /** The scope the function was defined in (opaque here). */
  scope: unknown;
  state: 'pending' | 'running' | 'done';
  summary?: PySummary;
  /** `self` inside a method: the class's methods and, for views, the request. */
  selfValue?: PyValue;
  /** A method (its first parameter is `self`). */
  method?: boolean;
  name: string;
  /** The class a method is defined in. */
  owner?: string;
}

export interface PyModuleRef {
  /** The imported module as written (`os`, `os.path`, `flask`, `.db`). */
  name: string;
  /** Attributes below it (`['path', 'join']`). */
  path: readonly string[];
}

/** What a value is, beyond its input: used by sinks, validators and guards. */
export type PyValueKind =
  /** `pathlib.Path(x)`, `Path(BASE) / x`: file methods on it are path sinks. */
  | 'path'
  /** An instance of a pydantic model, a validated form or serializer: its data is checked. */
  | 'validated'
  /** A Django form or DRF serializer given request data (`.cleaned_data` is checked, `.data` is not). */
  | 'form'
  /** A marshmallow schema, a pydantic TypeAdapter: `.load(x)` validates. */
  | 'schema'
  /** `sqlalchemy.text(…)`: SQL already checked at text(). */
  | 'sql'
  /** `shlex.split(x)`: a list of arguments, not a command line. */
  | 'argv'
  /** `urlparse(x)`: checks of its host are checks of x. */
  | 'url';

export interface PyValue {
  taints?: readonly PyTaint[];
  /** Known keys (dict literals) or attributes (`self`, module-level objects). */
  props?: Map<string, PyValue | undefined>;
  /** A framework request object (`flask.request`, a Django view's `request`). */
  root?: string;
  fn?: PyFunctionRef;
  mod?: PyModuleRef;
  /** The value was made by calling this imported name (`requests.Session`): its methods are known. */
  instance?: string;
  /** A class defined in this file: its role when called. */
  cls?: 'model' | 'form' | 'schema' | 'enum' | 'other';
  /** A class defined in this file: what calling it makes (every instance is the `self` its methods were analysed with). */
  made?: PyValue;
  kind?: PyValueKind;
  /** For `urlparse(x)`: the dotted key of x. */
  urlOf?: string;
  /** String shape: constant text, U+0000 for unknown parts, U+0001 for request input. */
  shape?: string;
  /** A list, tuple, set or dict of constants (an allowlist). */
  constList?: boolean;
  /** A constant. */
  literal?: boolean;
  /** A compiled regular expression (`re.compile(r"…")`): its pattern. */
  regex?: string;
  /** A path with its `..` resolved (`os.path.realpath(x)`, `Path(x).resolve()`). */
  resolved?: boolean;
}

export interface PySinkHit {
  pattern: PySinkPattern;
  /** What the finding underlines. */
  node: PyNode;
  taint: PyTaint;
  requirement: 'any' | 'whole' | 'structured';
  /** The call (or return) the sink is. */
  site: PyNode;
  /** For mass assignment: the `**x` expressions (the pick fix rewrites them). */
  wholeExpressions?: PyNode[];
  fixes?: FixHint[];
  /** The sink itself, when it is in another file (a function of another module was called). */
  remote?: RemoteSink;
}

const MAX_MERGE_DEPTH = 4;

/** Either value (branches, `a or b`): taints and known keys of both. */
export function merge(a: PyValue | undefined, b: PyValue | undefined, depth = 0): PyValue | undefined {
  if (!a) return b;
  if (!b || a === b) return a;
  const taints: PyTaint[] = [];
  addTaints(taints, a.taints);
  addTaints(taints, b.taints);
  const result: PyValue = {};
  if (taints.length) result.taints = taints;
  if (a.props || b.props) {
    const props = new Map<string, PyValue | undefined>();
    for (const [key, value] of a.props ?? []) props.set(key, value);
    // Objects can hold themselves (`self.me = self`): nested objects deeper than a few levels keep the first's.
    for (const [key, value] of b.props ?? []) props.set(key, depth < MAX_MERGE_DEPTH ? merge(props.get(key), value, depth + 1) : props.get(key) ?? value);
    result.props = props;
  }
  if (a.shape !== undefined && a.shape === b.shape) result.shape = a.shape;
  if (a.root && a.root === b.root) result.root = a.root;
  if (a.mod && a.mod === b.mod) result.mod = a.mod;
  if (a.fn && a.fn === b.fn) result.fn = a.fn;
  if (a.instance && a.instance === b.instance) result.instance = a.instance;
  if (a.kind && a.kind === b.kind) result.kind = a.kind;
  if (a.cls && a.cls === b.cls) result.cls = a.cls;
  return result.taints || result.props || result.root || result.mod || result.fn || result.instance || result.kind || result.cls || result.shape !== undefined ? result : undefined;
}

export function mergeAll(values: readonly (PyValue | undefined)[]): PyValue | undefined {
  let result: PyValue | undefined;
  for (const value of values) result = merge(result, value);
  return result;
}

/** The value turned into text (`str(x)`, `x.strip()`): no longer a dict or list. */
export function asText(value: PyValue | undefined): PyValue | undefined {
  const taints: PyTaint[] = [];
  addTaints(taints, deepTaints(value)?.taints, (taint) => ({ ...taint, whole: false, structured: false }));
  return taints.length ? { taints } : undefined;
}

/** The value's input together with that of its known keys (`json.dumps({"q": q})`). */
export function deepTaints(value: PyValue | undefined, depth = 0): PyValue | undefined {
  if (!value || depth > 3) return undefined;
  if (!value.props) return value.taints ? { taints: value.taints } : undefined;
  const taints: PyTaint[] = [];
  addTaints(taints, value.taints);
  for (const inner of value.props.values()) addTaints(taints, deepTaints(inner, depth + 1)?.taints);
  return taints.length ? { taints } : undefined;
}

/** A field whose name is not known (`x[key]`, a loop over values): still input, no longer the whole object. */
export function anyField(value: PyValue | undefined): PyValue | undefined {
  if (!value?.taints) return value?.props ? mergeAll([...value.props.values()]) : undefined;
  const taints: PyTaint[] = [];
  addTaints(taints, value.taints, (taint) => ({ ...taint, whole: false, path: [...taint.path, '[]'] }));
  return taints.length ? { taints } : undefined;
}

/** An element of a list or a key of a dict (for loops, comprehensions): objects stay objects. */
export function elementOf(value: PyValue | undefined): PyValue | undefined {
  if (!value) return undefined;
  if (!value.taints) return value.props ? mergeAll([...value.props.values()]) : undefined;
  const taints: PyTaint[] = [];
  addTaints(taints, value.taints, (taint) => ({ ...taint, whole: taint.structured && taint.path.length > 0 }));
  return taints.length ? { taints } : undefined;
}

/** The taint `paramTaint` (relative to a parameter) describes, given the argument (see throughParameter); keys read as `["name"]`. */
export function resolveParamTaint(argument: PyValue | undefined, paramTaint: PyTaint, via: PyVia, latestVia = false): PyTaint[] {
  const { value, rest } = followPath(argument, paramTaint.path);
  const taints = (value?.props && !value.taints ? deepTaints(value) : value)?.taints;
  return throughParameter(taints, paramTaint, rest, `[${rest.map((part) => JSON.stringify(part)).join('][')}]`, via, latestVia);
}

/** A summary's value with the function's parameters replaced by the call's arguments. */
export function instantiate(value: PyValue | undefined, args: readonly (PyValue | undefined)[], via: PyVia, fn: PyNode, depth = 0): PyValue | undefined {
  if (!value || depth > 3) return undefined;
  const taints = instantiateTaints(value.taints, fn, (taint, index) => resolveParamTaint(args[index], taint, via));
  const result: PyValue = {};
  if (taints.length) result.taints = taints;
  if (value.props) {
    const props = new Map<string, PyValue | undefined>();
    for (const [key, inner] of value.props) props.set(key, instantiate(inner, args, via, fn, depth + 1));
    result.props = props;
  }
  for (const key of ['root', 'mod', 'fn', 'instance', 'kind', 'cls', 'shape'] as const) if (value[key] !== undefined) (result as Record<string, unknown>)[key] = value[key];
  return Object.keys(result).length ? result : undefined;
}
