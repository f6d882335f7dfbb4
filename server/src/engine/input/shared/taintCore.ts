/**
 * The language-independent part of the taint model, shared by the JavaScript (../taint.ts)
 * and Python (../python/pyValues.ts) analyses: the kinds of danger, the shape of a taint,
 * string shapes and the arithmetic on taints. Each language adds its own value fields and
 * syntax nodes; nothing here reads syntax.
 */

export const KIND_BITS = { sql: 1, nosql: 2, command: 4, code: 8, path: 16, redirect: 32, ssrf: 64, html: 128, mass: 256, filter: 512 } as const;
export type SinkKind = keyof typeof KIND_BITS;
export const ALL_KINDS = Object.values(KIND_BITS).reduce((all: number, bit) => all | bit, 0);

export const UNKNOWN_MARK = '\u0000';
export const TAINT_MARK = '\u0001';
const MAX_SHAPE = 2000;
const MAX_TAINTS = 4;

/** Where a taint comes from: request input, or (while its summary is computed) a function's parameter. */
export type OriginCore = { kind: 'source' } | ParamOriginOf<unknown>;

export interface ParamOriginOf<Fn> {
  kind: 'param';
  index: number;
  fn: Fn;
}

export interface ViaOf<Node> {
  name: string;
  call: Node;
}

export interface TaintOf<Origin extends OriginCore, Node> {
  origin: Origin;
  /** Kinds of sink (KIND_BITS) this value is still dangerous for. */
  open: number;
  /** The whole request object, with keys the client chooses (mass assignment). */
  whole: boolean;
  /** May be an object or array rather than text (NoSQL operator injection). */
  structured: boolean;
  /** Field path below the origin (`['user', 'email']`). */
  path: readonly string[];
  /** How the code reads it, for messages: `req.query.q`, `request.args.get("q")`. */
  label: string;
  /** Where the input is read (related information). */
  node: Node;
  /** The same-file function it passed through on its way to the sink. */
  via?: ViaOf<Node>;
}

export type AnyTaint = TaintOf<OriginCore, unknown>;

/** The fields of a value this module reads; each language's value type has these and more. */
export interface ValueCore<T extends AnyTaint = AnyTaint> {
  taints?: readonly T[];
  /** String shape: constant text, U+0000 for unknown parts, U+0001 for request input. */
  shape?: string;
}

export function isTainted(value: ValueCore | undefined, kindBit = ALL_KINDS): boolean {
  return !!value?.taints?.some((taint) => (taint.open & kindBit) !== 0);
}

export function shapeOf(value: ValueCore | undefined): string {
  if (value?.shape !== undefined) return value.shape;
  return value?.taints?.length ? TAINT_MARK : UNKNOWN_MARK;
}

/** Shape as plain text for regular expressions (SQL, HTML): marks become spaces. */
export function shapeText(value: ValueCore | undefined): string {
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

/** Adds taints (mapped, when a map is given), skipping those with no danger left and repeats, up to a few per value. */
export function addTaints<T extends AnyTaint>(into: T[], taints: readonly T[] | undefined, map?: (taint: T) => T | undefined): void {
  if (!taints) return;
  for (const taint of taints) {
    const mapped = map ? map(taint) : taint;
    if (!mapped || mapped.open === 0) continue;
    if (into.length >= MAX_TAINTS) return;
    if (into.some((existing) => existing.node === mapped.node && existing.label === mapped.label && existing.open === mapped.open && existing.whole === mapped.whole)) continue;
    into.push(mapped);
  }
}

/** Strings joined (a template, `+`, an f-string, `%`, `.format`): the parts' input, now text. */
export function concatenate<T extends AnyTaint>(parts: readonly (ValueCore<T> | undefined)[]): { shape: string; taints?: T[] } {
  let shape = '';
  for (const part of parts) if (shape.length < MAX_SHAPE) shape += shapeOf(part);
  const firstInput = shape.indexOf(TAINT_MARK);
  const targetFixed = firstInput > 0 && fixesTheTarget(shape.slice(0, firstInput));
  const taints: T[] = [];
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

/** The value with the given kinds of danger removed (sanitisers, guards). */
export function clean<V extends ValueCore>(value: V | undefined, kinds: number): V | undefined {
  if (!value?.taints) return value;
  const taints: AnyTaint[] = [];
  addTaints(taints, value.taints, (taint) => ({ ...taint, open: taint.open & ~kinds }));
  const { taints: _dropped, ...rest } = value;
  return taints.length ? ({ ...rest, taints } as unknown as V) : Object.keys(rest).length ? (rest as V) : undefined;
}

/** Whether a taint matters at a sink of this kind with this requirement. */
export function meets(taint: AnyTaint, kindBit: number, requirement: 'any' | 'whole' | 'structured'): boolean {
  if ((taint.open & kindBit) === 0) return false;
  if (requirement === 'whole') return taint.whole;
  if (requirement === 'structured') return taint.structured;
  return true;
}

/** How a read of request input narrows its location (sources.json): to one field, or as the code says. */
export interface SourceOptions {
  field?: string;
  structured?: boolean;
  whole?: boolean;
  label?: string;
}

/** Request input read from a location: the whole of it (as the location is), or one of its fields. */
export function sourceTaint<Origin extends OriginCore, Node>(origin: Origin, location: { whole: boolean; structured: boolean }, options: SourceOptions, label: string, node: Node): TaintOf<Origin, Node> {
  return {
    origin,
    open: ALL_KINDS,
    whole: options.field !== undefined ? false : options.whole ?? location.whole,
    structured: options.structured ?? location.structured,
    path: options.field !== undefined ? [options.field] : [],
    label,
    node,
  };
}

/** The symbolic input of a function's parameter, while the function's summary is computed. */
export function parameterTaint<Fn, Node>(fn: Fn, index: number, label: string, node: Node): TaintOf<ParamOriginOf<Fn>, Node> {
  return { origin: { kind: 'param', index, fn }, open: ALL_KINDS, whole: true, structured: true, path: [], label, node };
}

/** Follows a parameter taint's field path into the argument's known properties: the value reached, and the path still left. */
export function followPath<V extends { props?: Map<string, V | undefined> }>(argument: V | undefined, path: readonly string[]): { value: V | undefined; rest: readonly string[] } {
  let value = argument;
  let rest = path;
  while (rest.length > 0 && value?.props?.has(rest[0])) {
    value = value.props.get(rest[0]);
    rest = rest.slice(1);
  }
  return { value, rest };
}

/**
 * The argument's taints as the parameter taint `paramTaint` describes them, `rest` being the
 * path below what the argument's properties told (`labelSuffix` writes it in the language's
 * syntax). For a sink inside the function, the call into it is the step worth showing
 * (`latestVia`); for a value it returns, the first function the input went through.
 */
export function throughParameter<Origin extends OriginCore, Node>(taints: readonly TaintOf<Origin, Node>[] | undefined, paramTaint: TaintOf<Origin, Node>, rest: readonly string[], labelSuffix: string, via: ViaOf<Node>, latestVia: boolean): TaintOf<Origin, Node>[] {
  const result: TaintOf<Origin, Node>[] = [];
  addTaints(result, taints, (taint) => ({
    origin: taint.origin,
    open: taint.open & paramTaint.open,
    whole: taint.whole && paramTaint.whole,
    structured: taint.structured && paramTaint.structured,
    path: rest.length ? [...taint.path, ...rest] : taint.path,
    label: rest.length ? `${taint.label}${labelSuffix}` : taint.label,
    node: taint.node,
    via: latestVia ? via : taint.via ?? via,
  }));
  return result;
}

/** A summary's taints with the function's parameters replaced by what `resolve` makes of the call's arguments. */
export function instantiateTaints<T extends AnyTaint>(taints: readonly T[] | undefined, fn: unknown, resolve: (taint: T, index: number) => readonly T[]): T[] {
  const result: T[] = [];
  for (const taint of taints ?? []) {
    if (taint.origin.kind === 'param' && taint.origin.fn === fn) addTaints(result, resolve(taint, taint.origin.index));
    else addTaints(result, [taint]);
  }
  return result;
}
