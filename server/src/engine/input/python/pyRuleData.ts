import type { Severity } from '../../types';
import sinksJson from '../../../../../rules/input/sinks.json';
import sourcesJson from '../../../../../rules/input/sources.json';
import validatorsJson from '../../../../../rules/input/validators.json';
import type { ExampleSpec, InputRuleSpec, LocationSpec, PositiveExampleSpec, RootSpec } from '../ruleData';
import { indexByName, kindMask } from '../shared/ruleIndex';
import { KIND_BITS, type SinkKind } from '../shared/taintCore';

/**
 * The Python parts of rules/input/*.json (each table's `python` section, and each rule's),
 * typed and indexed once per process. Rule ids, wording and request locations are shared
 * with the JavaScript analysis; sinks, sources and validators are Python's own.
 */

// ---- JSON shapes (validated by rules/schema/input-rules.schema.json in the tests) ----

export type PyCondition = 'sql-text' | 'sql-text-or-db' | 'command-args' | 'html-text' | 'unsafe-yaml-loader' | 'upload-receiver' | 'postgrest-filter';

export interface PySinkSpec {
  /** function: an imported name or a builtin; method: any receiver's method (narrowed); class: a class called by name; return: what a Flask view returns. */
  call: 'function' | 'method' | 'class' | 'return';
  names?: string[];
  namePattern?: string;
  exclude?: string[];
  modules?: string[];
  builtin?: boolean;
  /** method: the receiver was made by one of these (`requests.Session`). */
  instances?: string[];
  receiver?: string;
  receiverNot?: string;
  /** method: the receiver value itself is the sink (`Path(x).read_text()`), and must be of this kind. */
  receiverKind?: 'path';
  args?: 'all' | number[];
  keywords?: string[];
  /** `**x` arguments are the sink. */
  kwargs?: boolean;
  /** Of a dict literal argument, these keys' values are the sink (`{"$set": data}`). */
  property?: string[];
  taint?: 'any' | 'whole' | 'structured';
  filter?: boolean;
  when?: PyCondition[];
  requires?: string[];
  severity?: Severity;
  label?: string;
  library?: string;
}

export interface PyRuleSection {
  sinkLabel?: string;
  risk?: string;
  advice?: string;
  sinks: PySinkSpec[];
  examples: { positive: PositiveExampleSpec[]; negative: ExampleSpec[] };
}

export interface PySqlDriver {
  library: string;
  modules: string[];
  placeholder: '?' | '%s';
}

interface PyNamed {
  names: string[];
  modules?: string[];
  builtin?: boolean;
  receiver?: string;
  description?: string;
}

interface PySourcesSection {
  frameworks: Record<'flask' | 'django' | 'fastapi', string[]>;
  requestGlobals: (PyNamed & { root: string })[];
  requestTypes: (PyNamed & { root: string })[];
  requestParameterNames: string[];
  roots: Record<string, RootSpec>;
  routeDecorators: string[];
  viewClassBases: string;
  parameters: {
    markers: Record<string, string>;
    dependencyMarkers: string[];
    constrainedKeywords: string[];
    textTypes: string[];
    bodyTypes: string[];
    uploadTypes: string[];
    cleanTypes: string[];
    wrapperTypes: string[];
    flaskCleanConverters: string[];
    djangoCleanConverters: string[];
  };
  getterMethods: string[];
  wholeMethods: string[];
  fieldMethods: string[];
}

interface PyValidatorsSection {
  modelBases: string;
  formBases: string;
  schemaBases: string;
  enumBases: string;
  validatedModules: string;
  modelModules: string;
  formNames: string;
  schemaNames: string;
  validatingMethods: string[];
  schemaMethods: string[];
  formRawAttributes: string[];
  validators: PyNamed[];
  sanitisers: (PyNamed & { cleans: (SinkKind | 'all')[] })[];
  propagators: (PyNamed & { result: PyPropagation })[];
  guards: {
    predicateNames: string;
    checkMethods: string[];
    urlChecks: PyNamed[];
    urlParsers: PyNamed[];
    resolvers: PyNamed[];
    regexFunctions: string[];
  };
}

export type PyPropagation = 'string' | 'object' | 'same' | 'fields' | 'path' | 'argv' | 'url';

// ---- Compiled forms ----

export interface PySinkPattern {
  rule: InputRuleSpec;
  kindBit: number;
  spec: PySinkSpec;
  names: ReadonlySet<string>;
  namePattern?: RegExp;
  exclude: ReadonlySet<string>;
  modules?: ReadonlySet<string>;
  instances?: ReadonlySet<string>;
  receiver?: RegExp;
  receiverNot?: RegExp;
  args: 'all' | readonly number[];
  keywords: readonly string[];
  taint: 'any' | 'whole' | 'structured';
  when: readonly PyCondition[];
  severity: Severity;
  label: string;
  risk: string;
  advice: string;
}

/** A callee described by name plus module, builtin-ness or receiver. */
export interface PyCallee<T = undefined> {
  names: ReadonlySet<string>;
  modules?: ReadonlySet<string>;
  builtin: boolean;
  receiver?: RegExp;
  data: T;
}

export interface PyInputData {
  rules: { rule: InputRuleSpec; python: PyRuleSection }[];
  locations: Record<string, LocationSpec>;
  sqlText: RegExp;
  databaseReceivers: RegExp;
  sqlDrivers: PySqlDriver[];
  /** Sinks by the name they are called by. */
  functionSinks: Map<string, PySinkPattern[]>;
  methodSinks: Map<string, PySinkPattern[]>;
  classSinks: Map<string, PySinkPattern[]>;
  classPatternSinks: PySinkPattern[];
  returnSinks: PySinkPattern[];
  /** Every name a sink is called by, for the text prefilter. */
  sinkNames: string[];
  sources: PySourcesSection;
  frameworkModules: Record<'flask' | 'django' | 'fastapi', ReadonlySet<string>>;
  viewClassBases: RegExp;
  routeDecorators: ReadonlySet<string>;
  markers: ReadonlyMap<string, string>;
  dependencyMarkers: ReadonlySet<string>;
  textTypes: ReadonlySet<string>;
  bodyTypes: ReadonlySet<string>;
  uploadTypes: ReadonlySet<string>;
  cleanTypes: ReadonlySet<string>;
  wrapperTypes: ReadonlySet<string>;
  getterMethods: ReadonlySet<string>;
  wholeMethods: ReadonlySet<string>;
  fieldMethods: ReadonlySet<string>;
  modelBases: RegExp;
  formBases: RegExp;
  schemaBases: RegExp;
  enumBases: RegExp;
  validatedModules: RegExp;
  modelModules: RegExp;
  formNames: RegExp;
  schemaNames: RegExp;
  validatingMethods: ReadonlySet<string>;
  schemaMethods: ReadonlySet<string>;
  formRawAttributes: ReadonlySet<string>;
  validators: Map<string, PyCallee[]>;
  sanitisers: Map<string, PyCallee<number>[]>;
  propagators: Map<string, PyCallee<PyPropagation>[]>;
  predicateNames: RegExp;
  checkMethods: ReadonlySet<string>;
  urlChecks: Map<string, PyCallee[]>;
  urlParsers: Map<string, PyCallee[]>;
  resolvers: Map<string, PyCallee[]>;
  regexFunctions: ReadonlySet<string>;
}

function compileCallee<T>(spec: PyNamed, data: T): PyCallee<T> {
  return {
    names: new Set(spec.names),
    modules: spec.modules ? new Set(spec.modules) : undefined,
    builtin: spec.builtin ?? false,
    receiver: spec.receiver !== undefined ? new RegExp(spec.receiver) : undefined,
    data,
  };
}

function compileSink(rule: InputRuleSpec, section: PyRuleSection, spec: PySinkSpec): PySinkPattern {
  return {
    rule,
    kindBit: KIND_BITS[rule.kind],
    spec,
    names: new Set(spec.names ?? []),
    namePattern: spec.namePattern ? new RegExp(spec.namePattern) : undefined,
    exclude: new Set(spec.exclude ?? []),
    modules: spec.modules ? new Set(spec.modules) : undefined,
    instances: spec.instances ? new Set(spec.instances) : undefined,
    receiver: spec.receiver !== undefined ? new RegExp(spec.receiver) : undefined,
    receiverNot: spec.receiverNot !== undefined ? new RegExp(spec.receiverNot) : undefined,
    args: spec.args ?? [0],
    keywords: spec.keywords ?? [],
    taint: spec.taint ?? 'any',
    when: spec.when ?? [],
    severity: spec.severity ?? rule.severity,
    label: spec.label ?? section.sinkLabel ?? rule.sinkLabel,
    risk: section.risk ?? rule.risk,
    advice: section.advice ?? rule.advice,
  };
}

function compile(): PyInputData {
  const sinksFile = sinksJson as unknown as { rules: (InputRuleSpec & { python?: PyRuleSection })[]; sqlText: string; python: { databaseReceivers: string; sqlDrivers: PySqlDriver[] } };
  const sources = (sourcesJson as unknown as { locations: Record<string, LocationSpec>; python: PySourcesSection });
  const validators = (validatorsJson as unknown as { python: PyValidatorsSection }).python;
  const python = sources.python;

  const rules = sinksFile.rules.filter((rule) => rule.python).map((rule) => ({ rule: rule as InputRuleSpec, python: rule.python! }));
  const patterns = rules.flatMap(({ rule, python: section }) => section.sinks.map((spec) => compileSink(rule, section, spec)));
  const byCall = (call: PySinkSpec['call']) => patterns.filter((pattern) => pattern.spec.call === call);
  const sinkNames = new Set<string>();
  for (const pattern of patterns) for (const name of pattern.names) sinkNames.add(name);
  const classes = byCall('class');
  const urlChecks = validators.guards.urlChecks.map((spec) => compileCallee(spec, undefined));

  return {
    rules,
    locations: sources.locations,
    sqlText: new RegExp(sinksFile.sqlText, 'i'),
    databaseReceivers: new RegExp(sinksFile.python.databaseReceivers),
    sqlDrivers: sinksFile.python.sqlDrivers,
    functionSinks: indexByName(byCall('function')),
    methodSinks: indexByName(byCall('method')),
    classSinks: indexByName(classes.filter((pattern) => !pattern.namePattern)),
    classPatternSinks: classes.filter((pattern) => pattern.namePattern),
    returnSinks: byCall('return'),
    sinkNames: [...sinkNames],
    sources: python,
    frameworkModules: {
      flask: new Set(python.frameworks.flask),
      django: new Set(python.frameworks.django),
      fastapi: new Set(python.frameworks.fastapi),
    },
    viewClassBases: new RegExp(python.viewClassBases),
    routeDecorators: new Set(python.routeDecorators),
    markers: new Map(Object.entries(python.parameters.markers)),
    dependencyMarkers: new Set(python.parameters.dependencyMarkers),
    textTypes: new Set(python.parameters.textTypes),
    bodyTypes: new Set(python.parameters.bodyTypes),
    uploadTypes: new Set(python.parameters.uploadTypes),
    cleanTypes: new Set(python.parameters.cleanTypes),
    wrapperTypes: new Set(python.parameters.wrapperTypes),
    getterMethods: new Set(python.getterMethods),
    wholeMethods: new Set(python.wholeMethods),
    fieldMethods: new Set(python.fieldMethods),
    modelBases: new RegExp(validators.modelBases),
    formBases: new RegExp(validators.formBases),
    schemaBases: new RegExp(validators.schemaBases),
    enumBases: new RegExp(validators.enumBases),
    validatedModules: new RegExp(validators.validatedModules),
    modelModules: new RegExp(validators.modelModules),
    formNames: new RegExp(validators.formNames),
    schemaNames: new RegExp(validators.schemaNames),
    validatingMethods: new Set(validators.validatingMethods),
    schemaMethods: new Set(validators.schemaMethods),
    formRawAttributes: new Set(validators.formRawAttributes),
    validators: indexByName(validators.validators.map((spec) => compileCallee(spec, undefined))),
    sanitisers: indexByName(validators.sanitisers.map((spec) => compileCallee(spec, kindMask(spec.cleans)))),
    propagators: indexByName(validators.propagators.map((spec) => compileCallee(spec, spec.result))),
    predicateNames: new RegExp(validators.guards.predicateNames),
    checkMethods: new Set(validators.guards.checkMethods),
    urlChecks: indexByName(urlChecks),
    urlParsers: indexByName(validators.guards.urlParsers.map((spec) => compileCallee(spec, undefined))),
    resolvers: indexByName(validators.guards.resolvers.map((spec) => compileCallee(spec, undefined))),
    regexFunctions: new Set(validators.guards.regexFunctions),
  };
}

let compiled: PyInputData | undefined;

export function pyInputData(): PyInputData {
  compiled ??= compile();
  return compiled;
}
