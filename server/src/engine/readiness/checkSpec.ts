import type { Severity } from '../types';
import type { CheckIdentity, UnitKind } from './types';

/**
 * The shape of rules/readiness/*.json (validated by rules/schema/readiness-checks.schema.json).
 * A check is declarative when its `detect` holds conditions; it names code (`{ "code": … }`)
 * only when deciding needs parsing (SQL, Dockerfiles, lockfiles, workflows, routes).
 */

export interface CheckFamilyFile {
  family: string;
  description?: string;
  checks: CheckSpec[];
}

export interface CheckSpec extends CheckIdentity {
  description: string;
  /** 'workspace': decided once for the whole repository (CI, update bot, runbook). Default 'unit'. */
  scope?: 'unit' | 'workspace';
  /** Kinds of unit the check concerns; others pass as "not applicable". Default: all. */
  appliesTo?: UnitKind[];
  detect: DeclarativeDetection | CodeDetection;
  examples: CheckExamples;
}

export interface CodeDetection {
  /** Name of the implementation in checks/index.ts. */
  code: string;
  /** Data the implementation reads (tables, names, patterns). */
  parameters?: Record<string, unknown>;
}

export interface DeclarativeDetection {
  /** When given and not met, the check does not apply (it passes with `notApplicable` as reason). */
  appliesWhen?: Condition;
  notApplicable?: string;
  /** Tried in order; the first whose condition holds decides. */
  decide: Decision[];
  otherwise: { status: 'pass' | 'fail' | 'unknown'; reason?: string };
}

export interface Decision {
  when: Condition;
  status: 'pass' | 'fail' | 'unknown';
  reason?: string;
}

export type Condition =
  | FilesCondition
  | DependenciesCondition
  | ContentConditionWrapper
  | ScriptsCondition
  | { anyOf: Condition[] }
  | { allOf: Condition[] }
  | { not: Condition };

/** Holds when a file matching one of the globs exists in the unit. */
export interface FilesCondition {
  files: string[];
  exclude?: string[];
  evidence?: string;
}

/** Holds when the unit's manifests declare one of these packages (`@sentry/*` allowed). */
export interface DependenciesCondition {
  dependencies: string[];
  /** A sentence per package, shown with the evidence (e.g. what replaces a deprecated one). */
  notes?: Record<string, string>;
  evidence?: string;
}

export interface ContentConditionWrapper {
  content: ContentCondition;
}

/** Holds when a pattern matches in one of the files selected by glob. */
export interface ContentCondition {
  files: string[];
  exclude?: string[];
  /** Test files are skipped unless this is true. */
  includeTests?: boolean;
  pattern: string;
  /** Any of i, m, s. */
  flags?: string;
  /** Cheap prefilter: the file must contain one of these (case-insensitive) before the regex runs. */
  keywords?: string[];
  /** Blank out comments before matching. */
  comments?: 'c' | 'hash' | 'sql';
  /** A match whose own text matches this pattern does not count. */
  notMatching?: string;
  /** Only files that do not contain this pattern count. */
  fileLacks?: string;
  /** Another pattern that must match within this many lines of the match. */
  near?: { pattern: string; lines: number };
  evidence?: string;
}

/** Holds when a package.json script (name matching `name`) runs a command matching `command`. */
export interface ScriptsCondition {
  scripts: { name?: string; command: string; evidence?: string };
}

export interface CheckExamples {
  pass: CheckExample[];
  fail: CheckExample[];
  unknown?: CheckExample[];
}

/** A mini-workspace: `files` maps paths to contents; the rest stands in for git, routes and findings. */
export interface CheckExample {
  files: Record<string, string>;
  /** The unit to look at ('.' by default). */
  unit?: string;
  /** Git-tracked files: a list, or true for "every file"; absent means git is unavailable. */
  tracked?: string[] | true;
  routes?: ExampleRoute[];
  findings?: ExampleFinding[];
  /** Finding categories analysed (default: secret, auth, input). */
  analysed?: string[];
  vulnerabilities?: unknown;
  /** ISO date to assess at (default 2026-06-01). */
  now?: string;
}

export interface ExampleRoute {
  method: string;
  path: string;
  file: string;
  line?: number;
  auth?: string;
  framework?: string;
}

export interface ExampleFinding {
  ruleId: string;
  severity?: Severity;
  file: string;
  line?: number;
  suppressed?: boolean;
}

export function isCodeDetection(detect: CheckSpec['detect']): detect is CodeDetection {
  return typeof (detect as CodeDetection).code === 'string';
}
