import type { Route } from '../../routes/routeTypes';
import type { Category, Finding } from '../../types';
import type { CheckSpec } from '../checkSpec';
import type { ReadinessInput, Verdict } from '../types';
import type { Scope, Workspace } from '../workspace';

/** What a check written in code receives. */
export interface CheckContext {
  scope: Scope;
  workspace: Workspace;
  input: ReadinessInput;
  spec: CheckSpec;
  /** The check's `detect.parameters` from its rule file. */
  parameters: Record<string, unknown>;
}

export type CodeCheck = (context: CheckContext) => Verdict;

const DEFAULT_ANALYSED: readonly Category[] = ['secret', 'auth', 'input'];

export function analysed(context: CheckContext, category: Category): boolean {
  return (context.input.analysedCategories ?? DEFAULT_ANALYSED).includes(category);
}

function normalisePath(file: string): string {
  return file.replace(/\\/g, '/').replace(/^\.\//, '');
}

export function inScope(context: CheckContext, file: string): boolean {
  return context.workspace.inScope(context.scope, normalisePath(file));
}

/** Unsuppressed findings of the scope's files. */
export function scopeFindings(context: CheckContext, keep: (finding: Finding) => boolean): Finding[] {
  return context.input.findings.filter((finding) => !finding.suppression && keep(finding) && inScope(context, finding.file));
}

export function scopeRoutes(context: CheckContext): Route[] | undefined {
  return context.input.routes?.filter((route) => inScope(context, route.file));
}

export function findingEvidence(finding: Finding): { file: string; range: Finding['range']; description: string } {
  // Messages never hold a secret value (masked by the scanner); keep the first sentence.
  const sentence = finding.message.split(/(?<=\.)\s/)[0];
  return { file: normalisePath(finding.file), range: finding.range, description: `${finding.ruleId}: ${sentence}` };
}

export function routeLabel(route: Route): string {
  return `${route.method} ${route.path}`;
}

export function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

export function stringParameter(context: CheckContext, name: string): string {
  const value = context.parameters[name];
  if (typeof value !== 'string') throw new Error(`${context.spec.id}: parameter "${name}" must be a string`);
  return value;
}
