import type { ShipshapeConfig } from '../config/shipshapeConfig';
import type { Route } from '../routes/routeTypes';
import type { Category, Finding, Range, Severity } from '../types';
import type { VulnerabilityLookupResult } from './osvLookup';

/**
 * The readiness model's plain data: what the engine needs to know about a workspace, and
 * the report it returns (levels, areas, one result per check and unit). Adapters (sidebar,
 * Markdown report, CLI, findings) read the report; none of them re-analyses.
 */

export type Area = 'security' | 'operations' | 'reliability' | 'data' | 'maintenance';
export type Level = 'bronze' | 'silver' | 'gold';
export type WorkspaceLevel = 'none' | Level;
export type Effort = 'minutes' | 'hours' | 'days';
export type CheckStatus = 'pass' | 'fail' | 'unknown' | 'exempt';
/** server: runs a back end or full-stack app; frontend: ships to the browser only; package: a library or tool. */
export type UnitKind = 'server' | 'frontend' | 'package';
export type Ecosystem = 'node' | 'python';

export const AREAS: readonly Area[] = ['security', 'operations', 'reliability', 'data', 'maintenance'];
export const LEVELS: readonly Level[] = ['bronze', 'silver', 'gold'];

export interface ReadinessInput {
  /** Absolute path of the workspace, for display only. */
  root: string;
  /** Workspace-relative paths, forward slashes, already filtered by ignore rules. */
  files: readonly string[];
  /** Text of a workspace-relative file, or undefined when it cannot be read. Called lazily. */
  read(relativePath: string): string | undefined;
  /** Paths git tracks (relative, forward slashes); undefined when git is unavailable. */
  trackedFiles?: ReadonlySet<string>;
  /** Secret, auth and input findings of the workspace (file paths relative to `root`). */
  findings: readonly Finding[];
  /**
   * The finding categories that were analysed to produce `findings`; a category not listed
   * makes the checks that rely on it "unknown". Default: secret, auth and input.
   */
  analysedCategories?: readonly Category[];
  /** Route inventory; undefined when it was not built. */
  routes?: readonly Route[];
  config: ShipshapeConfig;
  now: Date;
  /** Outcome of the optional online look-up of known-vulnerable versions (osvLookup.ts). */
  vulnerabilities?: VulnerabilityLookupResult;
  /** Prefilter keywords each file holds, found while a scan read the files (see KeywordPresence). */
  keywordsFound?: KeywordsFound;
}

/** Bit sets over `keywords` (bit i: keywords[i]), by workspace-relative path. */
export interface KeywordsFound {
  keywords: readonly string[];
  files: ReadonlyMap<string, Uint32Array>;
}

export interface Evidence {
  file: string;
  /** Zero-based, as in LSP; `path:line` shows `range.start.line + 1`. */
  range: Range;
  description: string;
}

export interface ExemptionNote {
  reason: string;
  expires?: string;
  /** The exemption's date has passed: the check fails again. */
  expired: boolean;
}

/** What names and places a check, in its rule, its description and each of its results. */
export interface CheckIdentity {
  id: string;
  title: string;
  area: Area;
  severity: Severity;
  level: Level;
  effort: Effort;
  /** Page that explains the fix (vendor or project documentation). */
  docs: string;
  /** What to do, in plain words: which file to add, which package, a short snippet. */
  remediation: string;
}

export interface CheckResult extends CheckIdentity {
  status: CheckStatus;
  /** Files and lines that decided the result (what was found, or what is wrong). */
  evidence: Evidence[];
  /** Why it failed when there is nothing to point at, why it is unknown, or why it does not apply. */
  reason?: string;
  /** False when the check does not concern this unit (it then passes and is left out of scores). */
  applicable: boolean;
  /** Workspace-wide checks (CI, update bot, runbook…) have the same result in every unit. */
  scope: 'unit' | 'workspace';
  exemption?: ExemptionNote;
}

export interface AreaScore {
  area: Area;
  /** 0–10, or undefined when no check of the area could be decided. */
  score?: number;
  passed: number;
  failed: number;
  unknown: number;
  exempt: number;
}

export interface ReadinessUnit {
  /** Folder relative to the workspace ('.' for the root). */
  path: string;
  name: string;
  kind: UnitKind;
  ecosystems: Ecosystem[];
  /** Manifest files of the unit (package.json, pyproject.toml, requirements.txt…). */
  manifests: string[];
  level: WorkspaceLevel;
  areas: AreaScore[];
  /** Every check, failures first. */
  checks: CheckResult[];
}

export interface BlockingCheck {
  unit: string;
  id: string;
  title: string;
  status: CheckStatus;
}

export interface NextLevel {
  level: Level;
  /** Failing checks (per unit) that stand between the workspace and this level. */
  blocking: BlockingCheck[];
  /** Checks of this level Shipshape could not decide: worth confirming by hand. */
  toConfirm: BlockingCheck[];
}

export interface ReadinessCheckDescription extends CheckIdentity {
  description: string;
  scope: 'unit' | 'workspace';
  /** 'declarative' when decided by the rule data alone, 'code' when it needs parsing. */
  implementation: 'declarative' | 'code';
}

export interface ReadinessReport {
  root: string;
  generatedAt: string;
  /** The lowest level over the units. */
  level: WorkspaceLevel;
  /** Undefined at gold. */
  nextLevel?: NextLevel;
  /** Scores over all units (each unit's results counted). */
  areas: AreaScore[];
  units: ReadinessUnit[];
  checks: ReadinessCheckDescription[];
}

/** What a check's code or declarative rule decides, before exemptions and metadata. */
export interface Verdict {
  status: 'pass' | 'fail' | 'unknown';
  evidence: Evidence[];
  reason?: string;
  /** Set when the check does not concern the unit. */
  notApplicable?: boolean;
}
