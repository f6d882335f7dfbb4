import { parseTree, findNodeAtLocation, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { Severity } from '../types';

/**
 * The workspace's .shipshape.json: read leniently (comments and trailing commas allowed),
 * every problem reported with its place in the file, and defaults used for anything invalid.
 */

export interface Exemption {
  /** Rule id (finding exemptions) or readiness check id. */
  ruleId: string;
  /** Glob of files the exemption covers (all files when absent). */
  path?: string;
  reason: string;
  /** ISO date after which the exemption no longer applies. */
  expires?: string;
}

export interface CustomSecretRule {
  id: string;
  title: string;
  regex: string;
  keywords: string[];
  secretGroup?: number;
  entropy?: number;
  severity: Severity;
  envName?: string;
  /** Where the rule's regex is written, to report a pattern that does not compile. */
  regexLocation: { start: number; end: number };
}

export interface ShipshapeConfig {
  authFunctions: string[];
  validators: string[];
  publicPaths: string[];
  secretRules: CustomSecretRule[];
  exemptions: Exemption[];
  /** Severity overrides by rule id; "off" disables a rule. */
  rules: Record<string, Severity | 'off'>;
}

export interface ConfigProblem {
  message: string;
  start: number;
  end: number;
  severity: 'error' | 'warning';
}

export function defaultConfig(): ShipshapeConfig {
  return { authFunctions: [], validators: [], publicPaths: [], secretRules: [], exemptions: [], rules: {} };
}

const SEVERITIES = ['error', 'warning', 'info', 'off'];
const KNOWN_KEYS = new Set(['$schema', 'authFunctions', 'validators', 'publicPaths', 'secretRules', 'exemptions', 'rules']);

export function parseShipshapeConfig(text: string): { config: ShipshapeConfig; problems: ConfigProblem[] } {
  const config = defaultConfig();
  const problems: ConfigProblem[] = [];
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  for (const error of errors) {
    problems.push({ message: `This is not valid JSON here (${describeParseError(printParseErrorCode(error.error))}); Shipshape uses its defaults until it is fixed.`, start: error.offset, end: error.offset + Math.max(1, error.length), severity: 'error' });
  }
  if (!root) return { config, problems };
  if (root.type !== 'object') {
    problems.push(at(root, '.shipshape.json must hold one JSON object, e.g. { "publicPaths": ["/health"] }.'));
    return { config, problems };
  }
  if (errors.length > 0) return { config, problems };

  for (const property of root.children ?? []) {
    const [keyNode, valueNode] = property.children ?? [];
    if (!keyNode || !valueNode) continue;
    const key = String(keyNode.value);
    if (!KNOWN_KEYS.has(key)) {
      problems.push({ ...at(keyNode, `Unknown setting "${key}". Known settings: ${[...KNOWN_KEYS].filter((k) => k !== '$schema').join(', ')}.`), severity: 'warning' });
    }
  }

  config.authFunctions = stringList(root, 'authFunctions', problems);
  config.validators = stringList(root, 'validators', problems);
  config.publicPaths = stringList(root, 'publicPaths', problems);
  config.rules = severityOverrides(root, problems);
  config.exemptions = exemptions(root, problems);
  config.secretRules = customSecretRules(root, problems);
  return { config, problems };
}

function describeParseError(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

function at(node: Node, message: string): ConfigProblem {
  return { message, start: node.offset, end: node.offset + node.length, severity: 'error' };
}

function stringList(root: Node, key: string, problems: ConfigProblem[]): string[] {
  const node = findNodeAtLocation(root, [key]);
  if (!node) return [];
  if (node.type !== 'array') {
    problems.push(at(node, `"${key}" must be a list of strings, e.g. ["${key === 'publicPaths' ? '/health' : 'myFunction'}"].`));
    return [];
  }
  const values: string[] = [];
  for (const item of node.children ?? []) {
    if (item.type === 'string' && String(item.value).trim() !== '') values.push(String(item.value));
    else problems.push(at(item, `Each entry of "${key}" must be a non-empty string.`));
  }
  return values;
}

function severityOverrides(root: Node, problems: ConfigProblem[]): Record<string, Severity | 'off'> {
  const node = findNodeAtLocation(root, ['rules']);
  const overrides: Record<string, Severity | 'off'> = {};
  if (!node) return overrides;
  if (node.type !== 'object') {
    problems.push(at(node, '"rules" must be an object from rule id to severity, e.g. { "secret/generic-secret": "warning" }.'));
    return overrides;
  }
  for (const property of node.children ?? []) {
    const [keyNode, valueNode] = property.children ?? [];
    if (!keyNode || !valueNode) continue;
    if (valueNode.type === 'string' && SEVERITIES.includes(String(valueNode.value))) {
      overrides[String(keyNode.value)] = valueNode.value as Severity | 'off';
    } else {
      problems.push(at(valueNode, `The severity of "${String(keyNode.value)}" must be one of ${SEVERITIES.join(', ')}.`));
    }
  }
  return overrides;
}

function exemptions(root: Node, problems: ConfigProblem[]): Exemption[] {
  const node = findNodeAtLocation(root, ['exemptions']);
  if (!node) return [];
  if (node.type !== 'array') {
    problems.push(at(node, '"exemptions" must be a list of { "ruleId", "reason", "path"?, "expires"? } objects.'));
    return [];
  }
  const result: Exemption[] = [];
  for (const item of node.children ?? []) {
    if (item.type !== 'object') {
      problems.push(at(item, 'Each exemption must be an object with "ruleId" (or "check") and "reason".'));
      continue;
    }
    const ruleId = stringField(item, 'ruleId') ?? stringField(item, 'check');
    const reason = stringField(item, 'reason');
    const path = stringField(item, 'path');
    const expires = stringField(item, 'expires');
    if (!ruleId) {
      problems.push(at(item, 'This exemption names no rule: add "ruleId" (e.g. "auth/unauthenticated-route") or "check" (e.g. "readiness/health-endpoint").'));
      continue;
    }
    if (!reason || reason.trim() === '') {
      problems.push(at(item, `The exemption for ${ruleId} gives no "reason". Say why it is acceptable; it is ignored until then.`));
      continue;
    }
    if (expires !== undefined && Number.isNaN(Date.parse(expires))) {
      const expiresNode = findNodeAtLocation(item, ['expires']);
      problems.push(at(expiresNode ?? item, `"expires" must be a date like "2027-01-31"; this exemption is ignored until then.`));
      continue;
    }
    result.push({ ruleId, reason, ...(path ? { path } : {}), ...(expires ? { expires } : {}) });
  }
  return result;
}

function customSecretRules(root: Node, problems: ConfigProblem[]): CustomSecretRule[] {
  const node = findNodeAtLocation(root, ['secretRules']);
  if (!node) return [];
  if (node.type !== 'array') {
    problems.push(at(node, '"secretRules" must be a list of rules: { "id": "secret/acme-key", "title", "regex", "keywords": [...] }.'));
    return [];
  }
  const rules: CustomSecretRule[] = [];
  for (const item of node.children ?? []) {
    if (item.type !== 'object') {
      problems.push(at(item, 'Each secret rule must be an object.'));
      continue;
    }
    const id = stringField(item, 'id');
    const regex = stringField(item, 'regex');
    const keywordsNode = findNodeAtLocation(item, ['keywords']);
    const keywords = (keywordsNode?.children ?? []).filter((k) => k.type === 'string').map((k) => String(k.value).toLowerCase()).filter((k) => k.length > 0);
    if (!id || !/^secret\/[a-z0-9-]+$/.test(id)) {
      problems.push(at(findNodeAtLocation(item, ['id']) ?? item, 'A secret rule needs an "id" of the form "secret/<kebab-case-name>".'));
      continue;
    }
    if (!regex) {
      problems.push(at(item, `${id} needs a "regex".`));
      continue;
    }
    if (keywords.length === 0 || keywords.some((k) => /[^\x20-\x7e]/.test(k))) {
      problems.push(at(keywordsNode ?? item, `${id} needs "keywords": one or more ASCII strings that always appear near the secret (they let Shipshape skip text quickly).`));
      continue;
    }
    const severity = stringField(item, 'severity') ?? 'error';
    if (!['error', 'warning', 'info'].includes(severity)) {
      problems.push(at(findNodeAtLocation(item, ['severity']) ?? item, `${id}: "severity" must be error, warning or info.`));
      continue;
    }
    const regexNode = findNodeAtLocation(item, ['regex']) ?? item;
    const secretGroup = numberField(item, 'secretGroup');
    const entropy = numberField(item, 'entropy');
    rules.push({
      id,
      title: stringField(item, 'title') ?? id,
      regex,
      keywords,
      severity: severity as Severity,
      ...(secretGroup !== undefined ? { secretGroup } : {}),
      ...(entropy !== undefined ? { entropy } : {}),
      ...(stringField(item, 'envName') ? { envName: stringField(item, 'envName') } : {}),
      regexLocation: { start: regexNode.offset, end: regexNode.offset + regexNode.length },
    });
  }
  return rules;
}

function stringField(node: Node, key: string): string | undefined {
  const child = findNodeAtLocation(node, [key]);
  return child?.type === 'string' ? String(child.value) : undefined;
}

function numberField(node: Node, key: string): number | undefined {
  const child = findNodeAtLocation(node, [key]);
  return child?.type === 'number' ? Number(child.value) : undefined;
}
