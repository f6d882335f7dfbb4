import type ts = require('typescript');
import type { HandlerContext } from './handlers';
import type { SinkPattern } from './ruleData';
import type { FixHint } from '../types';

/**
 * The abstract values request input analysis computes: what a JavaScript value may carry
 * from the request (taints), plus the little it needs to know about other values (object
 * properties, framework objects, modules, functions, constant text).
 */

export const KIND_BITS = { sql: 1, nosql: 2, command: 4, code: 8, path: 16, redirect: 32, ssrf: 64, html: 128, mass: 256 } as const;
export type SinkKind = keyof typeof KIND_BITS;
export const ALL_KINDS = 511;

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
export interface ParamOrigin {
  kind: 'param';
  index: number;
  fn: ts.Node;
}

export type Origin = SourceOrigin | ParamOrigin;

export interface Via {
  name: string;
  call: ts.Node;
}

export interface Taint {
  origin: Origin;
  /** Kinds of sink (KIND_BITS) this value is still dangerous for. */
  open: number;
  /** The whole request object, with keys the client chooses (mass assignment). */
  whole: boolean;
  /** May be an object or array rather than text (NoSQL operator injection). */
  structured: boolean;
  /** Field path below the origin (`['user', 'email']`). */
  path: readonly string[];
  /** How the code reads it, for messages: `req.query.q`. */
  label: string;
  /** Where the input is read (related information). */
  node: ts.Node;
  /** The same-file function it passed through on its way to the sink. */
  via?: Via;
}

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
}

export const UNKNOWN_MARK = '\u0000';
export const TAINT_MARK = '\u0001';
const MAX_SHAPE = 2000;
const MAX_TAINTS = 4;

export function isTainted(value: Value | undefined, kindBit = ALL_KINDS): boolean {
  return !!value?.taints?.some((taint) => (taint.open & kindBit) !== 0);
}

export function shapeOf(value: Value | undefined): string {
  if (value?.shape !== undefined) return value.shape;
  return value?.taints?.length ? TAINT_MARK : UNKNOWN_MARK;
}

/** Shape as plain text for regular expressions (SQL, HTML): marks become spaces. */
export function shapeText(value: Value | undefined): string {
  return (value?.shape ?? '').replace(/[\u0000\u0001]/g, ' ');
}

/**
 * Whether what precedes the first request input fixes where a URL points: a path on this
 * site (`/users/…`, not `//…`), an absolute URL with its host written out, or a base URL
 * variable followed by `/`.
 */
export function fixesTheTarget(prefix: string): boolean {
  return /^(\/[^/\\\u0000\u0001]|[a-z][a-z0-9+.-]*:\/\/[^/?#\u0000\u0001]+[/?#]|\u0000[/?#])/i.test(prefix);
}

export function addTaints(into: Taint[], taints: readonly Taint[] | undefined, map?: (taint: Taint) => Taint | undefined): void {
  if (!taints) return;
  for (const taint of taints) {
    const mapped = map ? map(taint) : taint;
    if (!mapped || mapped.open === 0) continue;
    if (into.length >= MAX_TAINTS) return;
    if (into.some((existing) => existing.node === mapped.node && existing.label === mapped.label && existing.open === mapped.open && existing.whole === mapped.whole)) continue;
    into.push(mapped);
  }
}

/** String concatenation or a template literal: the parts' input, now text. */
export function concatenate(parts: readonly (Value | undefined)[]): Value | undefined {
  let shape = '';
  for (const part of parts) {
    if (shape.length < MAX_SHAPE) shape += shapeOf(part);
  }
  const firstInput = shape.indexOf(TAINT_MARK);
  const targetFixed = firstInput > 0 && fixesTheTarget(shape.slice(0, firstInput));
  const taints: Taint[] = [];
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

/** The value with the given kinds of danger removed (sanitisers, guards). */
export function clean(value: Value | undefined, kinds: number): Value | undefined {
  if (!value?.taints) return value;
  const taints: Taint[] = [];
  addTaints(taints, value.taints, (taint) => ({ ...taint, open: taint.open & ~kinds }));
  const { taints: _dropped, ...rest } = value;
  return taints.length ? { ...rest, taints } : Object.keys(rest).length ? rest : undefined;
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

/**
 * The taint `paramTaint` (relative to a parameter) describes, given the argument. For a sink
 * inside the function, the call into it is the step worth showing (`latestVia`); for a value
 * it returns, the first function the input went through.
 */
export function resolveParamTaint(argument: Value | undefined, paramTaint: Taint, via: Via, latestVia = false): Taint[] {
  let value = argument;
  let rest = paramTaint.path;
  while (rest.length > 0 && value?.props?.has(rest[0])) {
    value = value.props.get(rest[0]);
    rest = rest.slice(1);
  }
  const result: Taint[] = [];
  addTaints(result, value?.taints, (taint) => ({
    origin: taint.origin,
    open: taint.open & paramTaint.open,
    whole: taint.whole && paramTaint.whole,
    structured: taint.structured && paramTaint.structured,
    path: rest.length ? [...taint.path, ...rest] : taint.path,
    label: rest.length ? `${taint.label}.${rest.join('.')}` : taint.label,
    node: taint.node,
    via: latestVia ? via : taint.via ?? via,
  }));
  return result;
}

/** A summary's value with the function's parameters replaced by the call's arguments. */
export function instantiate(value: Value | undefined, args: readonly (Value | undefined)[], via: Via, fn: ts.Node, depth = 0): Value | undefined {
  if (!value || depth > 3) return undefined;
  const taints: Taint[] = [];
  for (const taint of value.taints ?? []) {
    if (taint.origin.kind === 'param' && taint.origin.fn === fn) {
      for (const resolved of resolveParamTaint(args[taint.origin.index], taint, via)) addTaints(taints, [resolved]);
    } else {
      addTaints(taints, [taint]);
    }
  }
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

/** Whether a taint matters at a sink of this kind with this requirement. */
export function meets(taint: Taint, kindBit: number, requirement: 'any' | 'whole' | 'structured'): boolean {
  if ((taint.open & kindBit) === 0) return false;
  if (requirement === 'whole') return taint.whole;
  if (requirement === 'structured') return taint.structured;
  return true;
}
