import type ts = require('typescript');
import type { HandlerContext } from './handlers';
import type { SinkPattern } from './ruleData';
import type { FixHint } from '../types';
import type { RemoteSink } from './moduleSinks';
import { addTaints, followPath, instantiateTaints, throughParameter, type ParamOriginOf, type TaintOf, type ViaOf } from './shared/taintCore';

/**
 * The abstract values request input analysis computes: what a JavaScript value may carry
 * from the request (taints), plus the little it needs to know about other values (object
 * properties, framework objects, modules, functions, constant text). The kinds of danger, the
 * shape of a taint and the arithmetic on taints are shared with Python (shared/taintCore.ts).
 */

export { ALL_KINDS, KIND_BITS, TAINT_MARK, UNKNOWN_MARK, addTaints, clean, concatenate, fixesTheTarget, isTainted, meets, shapeOf, shapeText, type SinkKind } from './shared/taintCore';

/** Request input read in a handler. */
export interface SourceOrigin {
  kind: 'source';
  /** Key of sources.json `locations` (body, query, params …). */
  location: string;
  handler?: HandlerContext;
  /** The expression or parameter the input is read from. */
  sourceNode: ts.Node;
}

/** A function's own parameter, while the function's summary is computed. */
export type ParamOrigin = ParamOriginOf<ts.Node>;

export type Origin = SourceOrigin | ParamOrigin;

export type Via = ViaOf<ts.Node>;

export type Taint = TaintOf<Origin, ts.Node>;

export interface Summary {
  returns: Value | undefined;
  hits: SinkHit[];
}

export interface FunctionRef {
  node: ts.SignatureDeclaration;
  /** The lexical scope the function was declared in (opaque here). */
  scope: unknown;
  state: 'pending' | 'running' | 'done';
  summary?: Summary;
  thisValue?: Value;
  name?: string;
}

export interface ModuleRef {
  name: string;
  path: readonly string[];
}

export interface RootRef {
  kind: string;
  handler?: HandlerContext;
}

export interface Value {
  taints?: readonly Taint[];
  props?: Map<string, Value | undefined>;
  root?: RootRef;
  fn?: FunctionRef;
  mod?: ModuleRef;
  /** String shape: constant text, U+0000 for unknown parts, U+0001 for request input. */
  shape?: string;
  /** A compiled validator function or validation schema. */
  validator?: boolean;
  /** An array or Set literal of constants (allowlist). */
  constList?: boolean;
  /** A constant (literal) value. */
  literal?: boolean;
}

/** A sink reached by a tainted value. */
export interface SinkHit {
  pattern: SinkPattern;
  /** What the finding underlines (the argument, the property value, the attribute). */
  node: ts.Node;
  taint: Taint;
  /** What the taint must be to matter here: any input, a whole object, or a possible object. */
  requirement: 'any' | 'whole' | 'structured';
  /** The call, `new` or assignment the sink is. */
  site: ts.Node;
  /** Whole-object expressions inside `node` (mass-assignment pick fix). */
  wholeExpressions?: ts.Expression[];
  /** Fixes decided at the sink (SQL parameterisation), where the values are known. */
  fixes?: FixHint[];
  /** The sink itself, when it is in another file (a function imported from there was called). */
  remote?: RemoteSink;
}

/** Either value (branches, `a || b`): taints and known properties of both. */
export function merge(a: Value | undefined, b: Value | undefined): Value | undefined {
  if (!a) return b;
  if (!b || a === b) return a;
  const taints: Taint[] = [];
  addTaints(taints, a.taints);
  addTaints(taints, b.taints);
  const result: Value = {};
  if (taints.length) result.taints = taints;
  if (a.props || b.props) {
    const props = new Map<string, Value | undefined>();
    for (const [key, value] of a.props ?? []) props.set(key, value);
    for (const [key, value] of b.props ?? []) props.set(key, merge(props.get(key), value));
    result.props = props;
  }
  if (a.shape !== undefined && a.shape === b.shape) result.shape = a.shape;
  if (a.root && a.root.kind === b.root?.kind) result.root = a.root;
  if (a.mod && a.mod === b.mod) result.mod = a.mod;
  if (a.fn && a.fn === b.fn) result.fn = a.fn;
  if (a.validator && b.validator) result.validator = true;
  return result.taints || result.props || result.root || result.mod || result.fn || result.shape !== undefined || result.validator ? result : undefined;
}

export function mergeAll(values: readonly (Value | undefined)[]): Value | undefined {
  let result: Value | undefined;
  for (const value of values) result = merge(result, value);
  return result;
}

/** The value turned into text (`String(x)`, `x.trim()`): no longer an object. */
export function asText(value: Value | undefined): Value | undefined {
  if (!value?.taints) return undefined;
  const taints: Taint[] = [];
  addTaints(taints, value.taints, (taint) => ({ ...taint, whole: false, structured: false }));
  return taints.length ? { taints } : undefined;
}

/** The value's input together with that of its known properties (`JSON.stringify({ q })`). */
export function deepTaints(value: Value | undefined, depth = 0): Value | undefined {
  if (!value || depth > 3) return undefined;
  if (!value.props) return value;
  const taints: Taint[] = [];
  addTaints(taints, value.taints);
  for (const inner of value.props.values()) addTaints(taints, deepTaints(inner, depth + 1)?.taints);
  return taints.length ? { taints } : undefined;
}

/** An element of an array (for-of, array callbacks): objects stay objects. */
export function elementOf(value: Value | undefined): Value | undefined {
  if (!value?.taints) return undefined;
  const taints: Taint[] = [];
  addTaints(taints, value.taints, (taint) => ({ ...taint, whole: taint.structured && taint.path.length > 0 }));
  return taints.length ? { taints } : undefined;
}

/** The taint `paramTaint` (relative to a parameter) describes, given the argument (see throughParameter). */
export function resolveParamTaint(argument: Value | undefined, paramTaint: Taint, via: Via, latestVia = false): Taint[] {
  const { value, rest } = followPath(argument, paramTaint.path);
  return throughParameter(value?.taints, paramTaint, rest, `.${rest.join('.')}`, via, latestVia);
}

/** A summary's value with the function's parameters replaced by the call's arguments. */
export function instantiate(value: Value | undefined, args: readonly (Value | undefined)[], via: Via, fn: ts.Node, depth = 0): Value | undefined {
  if (!value || depth > 3) return undefined;
  const taints = instantiateTaints(value.taints, fn, (taint, index) => resolveParamTaint(args[index], taint, via));
  const result: Value = {};
  if (taints.length) result.taints = taints;
  if (value.props) {
    const props = new Map<string, Value | undefined>();
    for (const [key, inner] of value.props) props.set(key, instantiate(inner, args, via, fn, depth + 1));
    result.props = props;
  }
  if (value.root) result.root = value.root;
  if (value.mod) result.mod = value.mod;
  if (value.fn) result.fn = value.fn;
  if (value.validator) result.validator = true;
  if (value.shape !== undefined) result.shape = value.shape;
  return result.taints || result.props || result.root || result.mod || result.fn || result.validator ? result : undefined;
}
