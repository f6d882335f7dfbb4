import signals from '../../../../../rules/auth/auth-signals.json';
import type { HttpMethod } from '../routeTypes';
import { isCredentialName } from '../authSignals';

/**
 * The Python tables of rules/auth/auth-signals.json (`python`), indexed for the checks the
 * Python route extractors make: decorators, DRF permission classes, Django mixins, FastAPI
 * security schemes, verifying calls.
 */

interface NamedEntry {
  name: string;
  package?: string;
  description: string;
}

interface CalleeEntry {
  callee: string;
  package?: string;
  description: string;
  webhook?: boolean;
}

interface PermissionEntry {
  name: string;
  description: string;
  unsafeMethodsOnly?: boolean;
}

export interface PackageView {
  name: string;
  methods: HttpMethod[];
  signIn?: boolean;
  check?: string;
}

const python = signals.python;
const decorators = python.decorators as NamedEntry[];
const notAuthDecorators = new Set(python.notAuthDecorators);
const mixins = new Map((python.authMixins as NamedEntry[]).map((entry) => [entry.name, entry.description]));
const permissionClasses = new Map((python.permissionClasses as PermissionEntry[]).map((entry) => [entry.name, entry]));
const publicPermissionClasses = new Set(python.publicPermissionClasses);
const securitySchemes = new Map((python.securitySchemes as NamedEntry[]).map((entry) => [entry.name, entry.description]));
const dependencyCalls = python.dependencyCalls as CalleeEntry[];
const verifyCalls = python.verifyCalls as CalleeEntry[];
const sessionCalls = python.sessionCalls;
const notAuthCalls = new Set(python.notAuthCalls);
const credentialAttributes = new Set(python.credentialAttributes);
const packageViews = new Map((python.packageViews as PackageView[]).map((entry) => [entry.name, entry]));

/**
 * A decorator known to check who is calling, by its dotted name and the module its first name
 * was imported from. Package-less entries stand for names whose import Shipshape cannot see;
 * `*.login_required` matches that attribute of any object (Flask-HTTPAuth's `auth.login_required`).
 */
export function knownAuthDecorator(name: string, importedFrom: string | undefined): string | undefined {
  const last = name.split('.').pop() ?? name;
  for (const entry of decorators) {
    if (entry.name.startsWith('*.')) {
      if (name.includes('.') && last === entry.name.slice(2)) return entry.description;
      continue;
    }
    if (entry.name !== name && !(entry.package && entry.name === last)) continue;
    if (entry.package) {
      if (importedFrom && (importedFrom === entry.package || importedFrom.startsWith(`${entry.package}.`))) return entry.description;
      continue;
    }
    if (!importedFrom) return entry.description;
  }
  return undefined;
}

export function knownNotAuthDecorator(name: string): boolean {
  return notAuthDecorators.has(name) || notAuthDecorators.has(name.split('.').pop() ?? name);
}

export function authMixin(name: string): string | undefined {
  return mixins.get(name.split('.').pop() ?? name);
}

export function permissionClass(name: string): PermissionEntry | undefined {
  return permissionClasses.get(name.split('.').pop() ?? name);
}

export function isPublicPermissionClass(name: string): boolean {
  return publicPermissionClasses.has(name.split('.').pop() ?? name);
}

/** FastAPI's fastapi.security classes and Flask-HTTPAuth objects: creating one and depending on it requires credentials. */
export function securityScheme(name: string): string | undefined {
  return securitySchemes.get(name.split('.').pop() ?? name);
}

export function knownDependencyCall(callee: string): string | undefined {
  return dependencyCalls.find((entry) => calleeMatches(entry.callee, callee))?.description;
}

export function pythonVerifyCall(callee: string, importedFrom: string | undefined): { description: string; webhook?: boolean } | undefined {
  for (const entry of verifyCalls) {
    if (!calleeMatches(entry.callee, callee)) continue;
    if (entry.package && !(importedFrom === entry.package || importedFrom?.startsWith(`${entry.package}.`))) continue;
    return { description: entry.description, ...(entry.webhook ? { webhook: true } : {}) };
  }
  return undefined;
}

/** Calls that sign people in or out or hash passwords: named like auth helpers, but they check nobody. */
export function isNotAuthCall(callee: string): boolean {
  return notAuthCalls.has(callee.split('.').pop() ?? callee);
}

export function isPythonSessionCall(callee: string): boolean {
  return sessionCalls.some((pattern) => calleeMatches(pattern, callee));
}

/** A Python name or attribute that holds who is calling: `current_user`, `user_id`, `is_authenticated`, `session`. */
export function isPythonCredential(name: string): boolean {
  return credentialAttributes.has(name) || isCredentialName(name.replace(/_/g, ''));
}

export function packageView(name: string): PackageView | undefined {
  return packageViews.get(name.split('.').pop() ?? name);
}

/** `*.verify_id_token` matches `auth.verify_id_token`; other patterns match exactly. */
function calleeMatches(pattern: string, callee: string): boolean {
  if (pattern.startsWith('*.')) return callee.endsWith(pattern.slice(1)) || callee === pattern.slice(2);
  return callee === pattern;
}
