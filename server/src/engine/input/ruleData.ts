import type { Severity } from '../types';
import sinksJson from '../../../../rules/input/sinks.json';
import sourcesJson from '../../../../rules/input/sources.json';
import validatorsJson from '../../../../rules/input/validators.json';
import { indexByName, kindMask } from './shared/ruleIndex';
import { KIND_BITS, type SinkKind } from './shared/taintCore';

/**
 * The request-input tables of rules/input/*.json, typed and indexed once per process. The
 * JSON is bundled (imported statically), so the engine never reads rule files at run time.
 */

// ---- JSON shapes (validated by rules/schema/input-rules.schema.json in the tests) ----

export interface SinkSpec {
  call: 'function' | 'method' | 'new' | 'assign' | 'jsx-attribute';
  names?: string[];
  namePattern?: string;
  exclude?: string[];
  modules?: string[];
  global?: boolean;
  receiver?: string;
  receiverNot?: string;
  args?: 'all' | number[];
  property?: string[];
  propertyOnly?: boolean;
  taint?: 'any' | 'whole' | 'structured';
  filter?: boolean;
  when?: SinkCondition[];
  requires?: string[];
  severity?: Severity;
  label?: string;
  library?: string;
}

export type SinkCondition = 'sql-text' | 'sql-text-or-db' | 'shell-option' | 'html-text' | 'no-root-option' | 'location-header' | 'target-not-literal' | 'postgrest-filter';

export type ExampleSpec = { name?: string; path?: string; dependencies?: string[]; code: string[] };
export type PositiveExampleSpec = ExampleSpec & { sink: number; source: number };

export interface InputRuleSpec {
  id: string;
  kind: SinkKind;
  severity: Severity;
  title: string;
  description: string;
  sinkLabel: string;
  risk: string;
  advice: string;
  tags: string[];
  sinks: SinkSpec[];
  examples: { positive: PositiveExampleSpec[]; negative: ExampleSpec[] };
}

export interface SqlDriver {
  library: string;
  modules: string[];
  placeholder: '$n' | '?' | 'tagged';
  methods: string[];
  values: 'argument' | 'chained' | 'tagged';
  callback?: boolean;
  tagged?: Record<string, string>;
}

export interface LocationSpec {
  phrase: string;
  field: string;
  structured: boolean;
  whole: boolean;
  schemaSuffix?: string;
}

export type SourceEntry = string | { location?: string; root?: string; clean?: boolean; fieldArgument?: number; structured?: boolean; whole?: boolean };

export interface RootSpec {
  description?: string;
  properties: Record<string, SourceEntry>;
  methods: Record<string, SourceEntry>;
}

export interface HandlerSpec {
  frameworkModules: string[];
  contextModules: string[];
  registrationMethods: string[];
  requestNames: string[];
  responseNames: string[];
  contextNames: string[];
  requestTypes: string[];
  contextTypes: string[];
  nextRouteExports: string[];
  pageFile: string;
  pageExports: string[];
  formDataNames: string[];
  nestModules: string[];
  /** Firebase Cloud Functions packages (and their subpaths: firebase-functions/v2/https). */
  firebaseModules: string[];
  nestParamDecorators: Record<string, SourceEntry>;
}

interface NamedCallees {
  names: string[];
  modules?: string[];
  global?: boolean;
  receiver?: string;
  receiverNot?: string;
}

interface SourcesFile {
  locations: Record<string, LocationSpec>;
  roots: Record<string, RootSpec>;
  functions: (NamedCallees & { location: string; structured?: boolean; whole?: boolean })[];
  getterMethods: string[];
  handlers: HandlerSpec;
}

interface ValidatorsFile {
  parseMethods: NamedCallees;
  functions: NamedCallees[];
  compilers: NamedCallees;
  validationResult: NamedCallees;
  expressValidator: { modules: string[]; chains: Record<string, string> };
  middleware: { names: string[]; namePattern: string };
  nest: { classValidatorModules: string[]; classValidatorDecorator: string; usePipes: string[]; notDto: string[] };
  sanitisers: (NamedCallees & { cleans: (SinkKind | 'all')[] })[];
  propagators: (NamedCallees & { result: 'string' | 'object' | 'same' | 'fields' })[];
  guards: { allowlistMethods: string[]; predicateNames: string; notNumberChecks: string[] };
}

// ---- Compiled forms ----

export interface SinkPattern {
  rule: InputRuleSpec;
  kindBit: number;
  call: SinkSpec['call'];
  names: ReadonlySet<string>;
  namePattern?: RegExp;
  exclude: ReadonlySet<string>;
  modules?: ReadonlySet<string>;
  global: boolean;
  receiver?: RegExp;
  receiverNot?: RegExp;
  args: 'all' | readonly number[];
  property?: readonly string[];
  propertyOnly: boolean;
  taint: 'any' | 'whole' | 'structured';
  filter: boolean;
  when: readonly SinkCondition[];
  requires?: readonly string[];
  severity: Severity;
  label: string;
}

/** A callee description matched by name plus module, global-ness or receiver. */
export interface CalleeMatcher<T = unknown> {
  names: ReadonlySet<string>;
  modules?: ReadonlySet<string>;
  global: boolean;
  receiver?: RegExp;
  receiverNot?: RegExp;
  data: T;
}

function compileCallee<T>(spec: NamedCallees, data: T): CalleeMatcher<T> {
  return {
    names: new Set(spec.names),
    modules: spec.modules ? new Set(spec.modules) : undefined,
    global: spec.global ?? false,
    receiver: spec.receiver !== undefined ? new RegExp(spec.receiver) : undefined,
    receiverNot: spec.receiverNot !== undefined ? new RegExp(spec.receiverNot) : undefined,
    data,
  };
}

function compileSink(rule: InputRuleSpec, spec: SinkSpec): SinkPattern {
  return {
    rule,
    kindBit: KIND_BITS[rule.kind],
    call: spec.call,
    names: new Set(spec.names ?? []),
    namePattern: spec.namePattern ? new RegExp(spec.namePattern) : undefined,
    exclude: new Set(spec.exclude ?? []),
    modules: spec.modules ? new Set(spec.modules) : undefined,
    global: spec.global ?? false,
    receiver: spec.receiver !== undefined ? new RegExp(spec.receiver) : undefined,
    receiverNot: spec.receiverNot !== undefined ? new RegExp(spec.receiverNot) : undefined,
    args: spec.args ?? [0],
    property: spec.property,
    propertyOnly: spec.propertyOnly ?? false,
    taint: spec.taint ?? 'any',
    filter: spec.filter ?? false,
    when: spec.when ?? [],
    requires: spec.requires,
    severity: spec.severity ?? rule.severity,
    label: spec.label ?? rule.sinkLabel,
  };
}

export interface InputRuleData {
  rules: InputRuleSpec[];
  sqlDrivers: SqlDriver[];
  databaseReceivers: RegExp;
  sqlText: RegExp;
  /** Sinks by callee name, split by how they are called. */
  functionSinks: Map<string, SinkPattern[]>;
  methodSinks: Map<string, SinkPattern[]>;
  newSinks: Map<string, SinkPattern[]>;
  newPatternSinks: SinkPattern[];
  assignSinks: Map<string, SinkPattern[]>;
  jsxSinks: Map<string, SinkPattern[]>;
  /** Every name a sink can be called by, for the text prefilter. */
  sinkNames: string[];
  locations: Record<string, LocationSpec>;
  roots: Record<string, RootSpec>;
  sourceFunctions: Map<string, CalleeMatcher<{ location: string; structured?: boolean; whole?: boolean }>[]>;
  /** The modules every source function is imported from; undefined when one needs no import. */
  sourceFunctionModules: readonly string[] | undefined;
  getterMethods: ReadonlySet<string>;
  handlers: HandlerSpec & { pageFilePattern: RegExp };
  parseMethods: CalleeMatcher;
  validatorFunctions: Map<string, CalleeMatcher[]>;
  compilers: CalleeMatcher;
  validationResult: CalleeMatcher;
  expressValidator: { modules: ReadonlySet<string>; chains: Record<string, string> };
  middlewareNames: ReadonlySet<string>;
  middlewarePattern: RegExp;
  nest: { classValidatorModules: ReadonlySet<string>; classValidatorDecorator: RegExp; usePipes: ReadonlySet<string>; notDto: ReadonlySet<string> };
  sanitisers: Map<string, CalleeMatcher<number>[]>;
  propagators: Map<string, CalleeMatcher<'string' | 'object' | 'same' | 'fields'>[]>;
  allowlistMethods: ReadonlySet<string>;
  predicateNames: RegExp;
  notNumberChecks: ReadonlySet<string>;
}

function compile(): InputRuleData {
  const sinksFile = sinksJson as unknown as { rules: InputRuleSpec[]; sqlDrivers: SqlDriver[]; databaseReceivers: string; sqlText: string };
  const sources = sourcesJson as unknown as SourcesFile;
  const validators = validatorsJson as unknown as ValidatorsFile;

  const patterns = sinksFile.rules.flatMap((rule) => rule.sinks.map((spec) => compileSink(rule, spec)));
  const byCall = (call: SinkSpec['call']) => patterns.filter((pattern) => pattern.call === call);
  const newSinks = byCall('new');
  const sinkNames = new Set<string>();
  for (const pattern of patterns) for (const name of pattern.names) if (name !== 'default') sinkNames.add(name);
  for (const pattern of patterns) if (pattern.namePattern) sinkNames.add('new');

  return {
    rules: sinksFile.rules,
    sqlDrivers: sinksFile.sqlDrivers,
    databaseReceivers: new RegExp(sinksFile.databaseReceivers, 'i'),
    sqlText: new RegExp(sinksFile.sqlText, 'i'),
    functionSinks: indexByName(byCall('function')),
    methodSinks: indexByName(byCall('method')),
    newSinks: indexByName(newSinks.filter((pattern) => !pattern.namePattern)),
    newPatternSinks: newSinks.filter((pattern) => pattern.namePattern),
    assignSinks: indexByName(byCall('assign')),
    jsxSinks: indexByName(byCall('jsx-attribute')),
    sinkNames: [...sinkNames],
    locations: sources.locations,
    roots: sources.roots,
    sourceFunctionModules: sources.functions.every((spec) => spec.modules?.length && !spec.global) ? sources.functions.flatMap((spec) => spec.modules!) : undefined,
    sourceFunctions: indexByName(sources.functions.map((spec) => compileCallee(spec, { location: spec.location, structured: spec.structured, whole: spec.whole }))),
    getterMethods: new Set(sources.getterMethods),
    handlers: { ...sources.handlers, pageFilePattern: new RegExp(sources.handlers.pageFile) },
    parseMethods: compileCallee(validators.parseMethods, undefined),
    validatorFunctions: indexByName(validators.functions.map((spec) => compileCallee(spec, undefined))),
    compilers: compileCallee(validators.compilers, undefined),
    validationResult: compileCallee(validators.validationResult, undefined),
    expressValidator: { modules: new Set(validators.expressValidator.modules), chains: validators.expressValidator.chains },
    middlewareNames: new Set(validators.middleware.names),
    middlewarePattern: new RegExp(validators.middleware.namePattern),
    nest: {
      classValidatorModules: new Set(validators.nest.classValidatorModules),
      classValidatorDecorator: new RegExp(validators.nest.classValidatorDecorator),
      usePipes: new Set(validators.nest.usePipes),
      notDto: new Set(validators.nest.notDto),
    },
    sanitisers: indexByName(validators.sanitisers.map((spec) => compileCallee(spec, kindMask(spec.cleans)))),
    propagators: indexByName(validators.propagators.map((spec) => compileCallee(spec, spec.result))),
    allowlistMethods: new Set(validators.guards.allowlistMethods),
    predicateNames: new RegExp(validators.guards.predicateNames),
    notNumberChecks: new Set(validators.guards.notNumberChecks),
  };
}

let compiled: InputRuleData | undefined;

export function inputRuleData(): InputRuleData {
  compiled ??= compile();
  return compiled;
}
