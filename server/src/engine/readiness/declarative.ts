import type { CheckSpec, Condition, ContentCondition, DeclarativeDetection } from './checkSpec';
import type { Evidence, Verdict } from './types';
import { normalisePythonName } from './versions';
import { requiredLiterals } from '../text/requiredLiterals';
import type { Scope, ScopedFile, Workspace } from './workspace';

/**
 * Runs a check written as data: conditions over files present (by glob), dependencies
 * declared, content patterns in files and package.json scripts, combined with anyOf /
 * allOf / not; the first decision whose condition holds gives the status.
 */

export interface ConditionResult {
  holds: boolean;
  evidence: Evidence[];
}

const MAX_EVIDENCE = 10;
const MAX_MATCHES_PER_FILE = 3;

const regexCache = new Map<string, RegExp>();
export function compilePattern(source: string, flags = ''): RegExp {
  const key = `${flags}/${source}`;
  let compiled = regexCache.get(key);
  if (!compiled) {
    compiled = new RegExp(source, `${flags.replace(/g/g, '')}g`);
    regexCache.set(key, compiled);
  }
  compiled.lastIndex = 0;
  return compiled;
}

export function runDeclarative(detection: DeclarativeDetection, scope: Scope): Verdict {
  if (detection.appliesWhen && !evaluateCondition(detection.appliesWhen, scope).holds) {
    return { status: 'pass', evidence: [], notApplicable: true, reason: detection.notApplicable ?? 'Does not apply here.' };
  }
  for (const decision of detection.decide) {
    const result = evaluateCondition(decision.when, scope);
    if (result.holds) return { status: decision.status, evidence: result.evidence.slice(0, MAX_EVIDENCE), ...(decision.reason ? { reason: decision.reason } : {}) };
  }
  return { status: detection.otherwise.status, evidence: [], ...(detection.otherwise.reason ? { reason: detection.otherwise.reason } : {}) };
}

export function evaluateCondition(condition: Condition, scope: Scope): ConditionResult {
  if ('anyOf' in condition) {
    const results = condition.anyOf.map((inner) => evaluateCondition(inner, scope));
    return { holds: results.some((result) => result.holds), evidence: results.filter((result) => result.holds).flatMap((result) => result.evidence) };
  }
  if ('allOf' in condition) {
    const evidence: Evidence[] = [];
    for (const inner of condition.allOf) {
      const result = evaluateCondition(inner, scope);
      if (!result.holds) return { holds: false, evidence: [] };
      evidence.push(...result.evidence);
    }
    return { holds: true, evidence };
  }
  if ('not' in condition) return { holds: !evaluateCondition(condition.not, scope).holds, evidence: [] };
  if ('files' in condition) {
    const found = scope.workspace.select(scope, condition.files, condition.exclude ?? []);
    return {
      holds: found.length > 0,
      evidence: found.slice(0, MAX_EVIDENCE).map((file) => scope.workspace.evidenceAtLine(file.path, 0, condition.evidence ?? `${file.path} is present`)),
    };
  }
  if ('dependencies' in condition) {
    const evidence: Evidence[] = [];
    for (const wanted of condition.dependencies) {
      for (const dependency of scope.dependencies) {
        if (!dependencyMatches(wanted, dependency.name, dependency.ecosystem)) continue;
        const note = condition.notes?.[wanted] ?? condition.notes?.[dependency.name];
        const what = `${dependency.name}${dependency.spec ? ` ${dependency.spec}` : ''} in ${dependency.file}`;
        evidence.push(scope.workspace.evidenceAtLine(dependency.file, dependency.line, `${condition.evidence ? `${condition.evidence}: ` : ''}${what}${note ? ` — ${note}` : ''}`));
      }
    }
    return { holds: evidence.length > 0, evidence: evidence.slice(0, MAX_EVIDENCE) };
  }
  if ('scripts' in condition) {
    const evidence: Evidence[] = [];
    const name = condition.scripts.name;
    for (const manifest of scope.packageJsons) {
      for (const [scriptName, script] of Object.entries(manifest.scripts)) {
        if (name && !patternFound(name, scriptName)) continue;
        const found = new RegExp(condition.scripts.command).exec(script.command);
        if (!found) continue;
        // Only the matched part: a script line can hold credentials (DATABASE_URL=… prisma db push).
        evidence.push(scope.workspace.evidenceAtLine(manifest.file, script.line, `${condition.scripts.evidence ?? 'Script'}: "${scriptName}" runs ${found[0]}`));
      }
    }
    return { holds: evidence.length > 0, evidence: evidence.slice(0, MAX_EVIDENCE) };
  }
  return contentMatches(condition.content, scope);
}

const testCache = new Map<string, RegExp>();
/** Whether a pattern matches anywhere (a separate, non-global RegExp: safe inside an exec loop). */
export function patternFound(source: string, text: string, flags = ''): boolean {
  const key = `${flags}/${source}`;
  let compiled = testCache.get(key);
  if (!compiled) {
    compiled = new RegExp(source, flags.replace(/g/g, ''));
    testCache.set(key, compiled);
  }
  return compiled.test(text);
}

export function dependencyMatches(wanted: string, name: string, ecosystem: string): boolean {
  if (wanted.endsWith('/*')) return name.startsWith(wanted.slice(0, -1));
  if (ecosystem === 'python') return normalisePythonName(wanted) === name;
  return wanted === name;
}

export function contentMatches(condition: ContentCondition, scope: Scope): ConditionResult {
  const workspace = scope.workspace;
  const { own, shared } = workspace.selectParts(scope, condition.files, condition.exclude ?? [], condition.includeTests === true);
  const evidence = searchFiles(condition, own, workspace);
  if (evidence.length < MAX_EVIDENCE && shared.length) {
    // Every unit searches the shared files alike: once for the workspace, not once per unit.
    evidence.push(...workspace.sharedResult(condition, () => searchFiles(condition, shared, workspace)));
  }
  return { holds: evidence.length > 0, evidence: evidence.slice(0, MAX_EVIDENCE) };
}

/** Evidence of the condition's pattern in the files, searched in order until MAX_EVIDENCE is reached. */
function searchFiles(condition: ContentCondition, files: readonly ScopedFile[], workspace: Workspace): Evidence[] {
  const keywords = conditionKeywords(condition);
  const evidence: Evidence[] = [];
  for (const file of files) {
    if (evidence.length >= MAX_EVIDENCE) break;
    // The file is read only when it can match (its keywords may be known from the scan).
    if (keywords && !workspace.keywords.containsAny(file.path, keywords, () => workspace.read(file.path))) continue;
    const raw = workspace.read(file.path);
    if (raw === undefined) continue;
    const text = condition.comments ? workspace.withoutComments(file.path, condition.comments) ?? raw : raw;
    if (condition.fileLacks && patternFound(condition.fileLacks, text, condition.flags)) continue;
    const pattern = compilePattern(condition.pattern, condition.flags);
    let matches = 0;
    for (let match = pattern.exec(text); match && matches < MAX_MATCHES_PER_FILE; match = pattern.exec(text)) {
      if (match[0].length === 0) pattern.lastIndex++;
      if (condition.notMatching && patternFound(condition.notMatching, match[0], condition.flags)) continue;
      if (condition.near && !nearMatch(text, match.index, condition.near, condition.flags)) continue;
      matches++;
      evidence.push(workspace.evidenceAtOffset(file.path, match.index, match.index + match[0].length, condition.evidence ?? `Matched in ${file.path}`));
    }
    pattern.lastIndex = 0;
  }
  return evidence;
}

const derivedKeywords = new Map<string, readonly string[] | undefined>();
/**
 * The keywords a file must hold (case-insensitively) to match the condition — given in the rule,
 * or read off its pattern (`requiredLiterals`) — or undefined when there is no such prefilter:
 * most patterns run over every source file, and looking for a literal is far cheaper.
 */
export function conditionKeywords(condition: ContentCondition): readonly string[] | undefined {
  if (condition.keywords?.length) return condition.keywords;
  if (!derivedKeywords.has(condition.pattern)) derivedKeywords.set(condition.pattern, requiredLiterals(condition.pattern));
  return derivedKeywords.get(condition.pattern);
}

/**
 * Every prefilter keyword of the content conditions in the checks, wherever they sit: in
 * decisions, or in a code check's parameters (a fallback condition, say).
 */
export function prefilterKeywordsOf(checks: readonly CheckSpec[]): readonly string[] {
  // The server assesses on every save, always with the same checks: worked out once per list.
  const known = keywordsOfChecks.get(checks);
  if (known) return known;
  const keywords = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (value && typeof value === 'object') {
      const content = (value as { content?: unknown }).content;
      if (content && typeof content === 'object' && typeof (content as ContentCondition).pattern === 'string') {
        for (const keyword of conditionKeywords(content as ContentCondition) ?? []) keywords.add(keyword);
      }
      Object.values(value).forEach(visit);
    }
  };
  visit(checks);
  const list = [...keywords];
  keywordsOfChecks.set(checks, list);
  return list;
}

const keywordsOfChecks = new WeakMap<readonly CheckSpec[], readonly string[]>();

/** Whether `near.pattern` matches within `near.lines` lines of the offset. */
function nearMatch(text: string, offset: number, near: { pattern: string; lines: number }, flags?: string): boolean {
  let start = offset;
  for (let lines = 0; start > 0 && lines <= near.lines; start--) if (text.charCodeAt(start - 1) === 10) lines++;
  let end = offset;
  for (let lines = 0; end < text.length && lines <= near.lines; end++) if (text.charCodeAt(end) === 10) lines++;
  return patternFound(near.pattern, text.slice(start, end), flags);
}
