import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultConfig, type ShipshapeConfig } from '../../../../server/src/engine/config/shipshapeConfig';
import { isStateChanging, type HttpMethod, type Route } from '../../../../server/src/engine/routes/routeTypes';
import type { Category, Finding, Severity } from '../../../../server/src/engine/types';
import type { CheckExample, ExampleFinding, ExampleRoute } from '../../../../server/src/engine/readiness/checkSpec';
import type { ReadinessInput } from '../../../../server/src/engine/readiness/types';
import type { VulnerabilityLookupResult } from '../../../../server/src/engine/readiness/osvLookup';
import { walkWorkspace } from '../../../../server/src/workspace/fileWalker';

/** The date examples and fixtures are assessed at, so end-of-life results do not drift. */
export const ASSESSED_AT = new Date('2026-06-01T00:00:00Z');

function lineRange(line = 1): Finding['range'] {
  return { start: { line: line - 1, character: 0 }, end: { line: line - 1, character: 1 } };
}

export function exampleFinding(finding: ExampleFinding): Finding {
  return {
    ruleId: finding.ruleId,
    category: finding.ruleId.split('/')[0] as Category,
    severity: (finding.severity ?? 'error') as Severity,
    message: `${finding.ruleId} found here. More text.`,
    file: finding.file,
    range: lineRange(finding.line),
    startOffset: 0,
    endOffset: 0,
    ...(finding.suppressed ? { suppression: { kind: 'inline' as const, reason: 'example' } } : {}),
  };
}

export function exampleRoute(route: ExampleRoute): Route {
  const method = route.method.toUpperCase() as HttpMethod;
  return {
    method,
    path: route.path,
    framework: (route.framework ?? 'express') as Route['framework'],
    file: route.file,
    range: lineRange(route.line),
    auth: (route.auth ?? 'unauthenticated') as Route['auth'],
    evidence: [],
    stateChanging: isStateChanging(method),
  };
}

/** A readiness input over an in-memory mini-workspace (a rule's example). */
export function exampleInput(example: CheckExample, config: ShipshapeConfig = defaultConfig()): ReadinessInput {
  const files = Object.keys(example.files);
  return {
    root: '/example',
    files,
    read: (file) => example.files[file],
    ...(example.tracked === true ? { trackedFiles: new Set(files) } : Array.isArray(example.tracked) ? { trackedFiles: new Set(example.tracked) } : {}),
    findings: (example.findings ?? []).map(exampleFinding),
    ...(example.analysed ? { analysedCategories: example.analysed as Category[] } : {}),
    ...(example.routes ? { routes: example.routes.map(exampleRoute) } : {}),
    config,
    now: example.now ? new Date(`${example.now}T00:00:00Z`) : ASSESSED_AT,
    ...(example.vulnerabilities ? { vulnerabilities: example.vulnerabilities as VulnerabilityLookupResult } : {}),
  };
}

/** Inputs that stand in for what other analyses produce for a fixture (routes, findings, git). */
export interface FixtureSidecar {
  routes?: ExampleRoute[];
  findings?: ExampleFinding[];
  /** Files git tracks besides every walked file (e.g. a .env that .gitignore hides). */
  alsoTracked?: string[];
}

/** A fixture workspace read from disk the way the CLI reads it (ignore rules applied). */
export function fixtureInput(directory: string, sidecar: FixtureSidecar = {}, config: ShipshapeConfig = defaultConfig()): ReadinessInput {
  const files = walkWorkspace(directory).files.map((file) => file.relative);
  return {
    root: directory,
    files,
    read: (file) => {
      try {
        return fs.readFileSync(path.join(directory, file), 'utf8');
      } catch {
        return undefined;
      }
    },
    trackedFiles: new Set([...files, ...(sidecar.alsoTracked ?? [])]),
    findings: (sidecar.findings ?? []).map(exampleFinding),
    ...(sidecar.routes ? { routes: sidecar.routes.map(exampleRoute) } : {}),
    config,
    now: ASSESSED_AT,
  };
}
