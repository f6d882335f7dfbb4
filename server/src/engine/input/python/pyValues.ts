import type { PyFunctionDef, PyLambda, PyNode } from '../../python/ast';
import type { FixHint } from '../../types';
import { ALL_KINDS, KIND_BITS, TAINT_MARK, UNKNOWN_MARK, fixesTheTarget } from '../taint';
import type { PySinkPattern } from './pyRuleData';

/**
 * The abstract values of the Python input analysis: what a Python value may carry from the
 * request (taints), and the little else it needs (dict keys and object attributes, framework
 * objects, imported modules, local functions, constant text). The same model as the
 * JavaScript analysis (../taint.ts), over Python syntax nodes; the kind bits, string shapes
 * and the "URL whose host is fixed" test are shared.
 */

export { ALL_KINDS, KIND_BITS, TAINT_MARK, UNKNOWN_MARK };

export type PyFunctionNode = PyFunctionDef | PyLambda;

/** Request input read in a handler, or (while a function's summary is computed) one of its parameters. */
export type PyOrigin = { kind: 'source'; location: string } | { kind: 'param'; index: number; fn: PyFunctionNode };

export interface PyVia {
  name: string;
  call: PyNode;
}

export interface PyTaint {
  origin: PyOrigin;
  /** Kinds of sink (KIND_BITS) this value is still dangerous for. */
  open: number;
  /** The whole request object, with keys the client chooses (mass assignment). */
  whole: boolean;
  /** May be a dict or list rather than text (NoSQL operator injection). */
  structured: boolean;
  /** Field path below the origin (`['user', 'email']`). */
  path: readonly string[];
  /** How the code reads it, for messages: `request.args.get("q")`. */
  label: string;
  /** Where the input is read (related information). */
  node: PyNode;
  /** The same-file function it passed through on its way to the sink. */
  via?: PyVia;
}

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
}

const MAX_SHAPE = 2000;
const MAX_TAINTS = 4;

export function isTainted(value: PyValue | undefined, kindBit = ALL_KINDS): boolean {
  return !!value?.taints?.some((taint) => (taint.open & kindBit) !== 0);
}

export function shapeOf(value: PyValue | undefined): string {
  if (value?.shape !== undefined) return value.shape;
  return value?.taints?.length ? TAINT_MARK : UNKNOWN_MARK;
}

/** Shape as plain text for regular expressions (SQL, HTML): marks become spaces. */
export function shapeText(value: PyValue | undefined): string {
  return (value?.shape ?? '').replace(/[\u0000\u0001]/g, ' ');
}

export function addTaints(into: PyTaint[], taints: readonly PyTaint[] | undefined, map?: (taint: PyTaint) => PyTaint | undefined): void {
  if (!taints) return;
  for (const taint of taints) {
    const mapped = map ? map(taint) : taint;
    if (!mapped || mapped.open === 0) continue;
    if (into.length >= MAX_TAINTS) return;
    if (into.some((existing) => existing.node === mapped.node && existing.label === mapped.label && existing.open === mapped.open && existing.whole === mapped.whole)) continue;
    into.push(mapped);
  }
}

/** Strings joined (f-string, `+`, `%`, `.format`): the parts' input, now text. */
export function concatenate(parts: readonly (PyValue | undefined)[]): PyValue | undefined {
  let shape = '';
  for (const part of parts) if (shape.length < MAX_SHAPE) shape += shapeOf(part);
  const firstInput = shape.indexOf(TAINT_MARK);
  const targetFixed = firstInput > 0 && fixesTheTarget(shape.slice(0, firstInput));
  const taints: PyTaint[] = [];
  for (const part of parts) {
    addTaints(taints, part?.taints, (taint) => ({
      ...taint,
      whole: false,
      structured: false,
      open: targetFixed ? taint.open & ~(KIND_BITS.redirect | KIND_BITS.ssrf) : taint.open,
    }));
  }
  return { shape: shape.slice(0, MAX_SHAPE), ...(taints.length ? { taints } : {}) };
}

/** Either value (branches, `a or b`): taints and known keys of both. */
export function merge(a: PyValue | undefined, b: PyValue | undefined): PyValue | undefined {
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
    for (const [key, value] of b.props ?? []) props.set(key, merge(props.get(key), value));
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

/** The value with the given kinds of danger removed (sanitisers, guards). */
export function clean(value: PyValue | undefined, kinds: number): PyValue | undefined {
  if (!value?.taints) return value;
  const taints: PyTaint[] = [];
  addTaints(taints, value.taints, (taint) => ({ ...taint, open: taint.open & ~kinds }));
  const { taints: _dropped, ...rest } = value;
  return taints.length ? { ...rest, taints } : Object.keys(rest).length ? rest : undefined;
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

/**
 * The taint `paramTaint` (relative to a parameter) describes, given the argument. For a sink
 * inside the function the call into it is the step worth showing (`latestVia`); for a value
 * it returns, the first function the input went through.
 */
export function resolveParamTaint(argument: PyValue | undefined, paramTaint: PyTaint, via: PyVia, latestVia = false): PyTaint[] {
  let value = argument;
  let rest = paramTaint.path;
  while (rest.length > 0 && value?.props?.has(rest[0])) {
    value = value.props.get(rest[0]);
    rest = rest.slice(1);
  }
  const result: PyTaint[] = [];
  addTaints(result, (value?.props && !value.taints ? deepTaints(value) : value)?.taints, (taint) => ({
    origin: taint.origin,
    open: taint.open & paramTaint.open,
    whole: taint.whole && paramTaint.whole,
    structured: taint.structured && paramTaint.structured,
    path: rest.length ? [...taint.path, ...rest] : taint.path,
    label: rest.length ? `${taint.label}[${rest.map((part) => JSON.stringify(part)).join('][')}]` : taint.label,
    node: taint.node,
    via: latestVia ? via : taint.via ?? via,
  }));
  return result;
}

/** A summary's value with the function's parameters replaced by the call's arguments. */
export function instantiate(value: PyValue | undefined, args: readonly (PyValue | undefined)[], via: PyVia, fn: PyNode, depth = 0): PyValue | undefined {
  if (!value || depth > 3) return undefined;
  const taints: PyTaint[] = [];
  for (const taint of value.taints ?? []) {
    if (taint.origin.kind === 'param' && taint.origin.fn === fn) {
      addTaints(taints, resolveParamTaint(args[taint.origin.index], taint, via));
    } else {
      addTaints(taints, [taint]);
    }
  }
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

/** Whether a taint matters at a sink of this kind with this requirement. */
export function meets(taint: PyTaint, kindBit: number, requirement: 'any' | 'whole' | 'structured'): boolean {
  if ((taint.open & kindBit) === 0) return false;
  if (requirement === 'whole') return taint.whole;
  if (requirement === 'structured') return taint.structured;
  return true;
}
