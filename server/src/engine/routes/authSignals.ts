import signals from '../../../../rules/auth/auth-signals.json';

/**
 * The auth-signal tables of rules/auth/auth-signals.json, indexed for the checks the route
 * detectors make on every call they see.
 */

export interface KnownCall {
  description: string;
  webhook?: boolean;
}

interface CalleeEntry {
  callee: string;
  package?: string;
  description: string;
  webhook?: boolean;
}

const middlewareByName = new Map<string, { package?: string; description: string }[]>();
for (const entry of signals.middleware as { name: string; package?: string; description: string }[]) {
  const list = middlewareByName.get(entry.name) ?? [];
  list.push(entry);
  middlewareByName.set(entry.name, list);
}
const notAuth = new Set(signals.notAuthMiddleware);
const verifyCalls = (signals.verifyCalls as CalleeEntry[]).map((entry) => ({ ...entry, pattern: calleePattern(entry.callee) }));
const sessionCalls = signals.sessionCalls.map(calleePattern);
const credentialNames = new Set(signals.credentialNames.map((name) => name.toLowerCase()));
const authNamePattern = new RegExp(signals.authNamePattern, 'i');

/**
 * A middleware known to authenticate: by its dotted name, and (for bare imported names such as
 * `requireAuth`) by the package it comes from.
 */
export function knownAuthMiddleware(name: string, importedFrom?: string): string | undefined {
  const entries = middlewareByName.get(name) ?? middlewareByName.get(name.split('.').pop() ?? name)?.filter((entry) => !entry.package);
  if (!entries) return undefined;
  const match = entries.find((entry) => !entry.package || entry.package === importedFrom || (importedFrom?.startsWith(`${entry.package}/`) ?? false));
  return match?.description;
}

export function knownNotAuthMiddleware(name: string): boolean {
  return notAuth.has(name) || notAuth.has(name.split('.').pop() ?? name);
}

/** A call that verifies identity and rejects on failure by itself (jwt.verify, auth.protect(), constructEvent…). */
export function verifyCall(callee: string, importedFrom?: string): KnownCall | undefined {
  for (const entry of verifyCalls) {
    if (!calleeMatches(entry.pattern, callee)) continue;
    if (entry.package && entry.package !== importedFrom) continue;
    return { description: entry.description, ...(entry.webhook ? { webhook: true } : {}) };
  }
  return undefined;
}

/** A call that reads the session/user (getServerSession, auth(), supabase.auth.getUser…). */
export function isSessionCall(callee: string): boolean {
  return sessionCalls.some((pattern) => calleeMatches(pattern, callee));
}

/** An identifier or property name that holds who is calling (user, session, userId…). */
export function isCredentialName(name: string): boolean {
  return credentialNames.has(name.toLowerCase());
}

/** A name that reads like an auth helper (requireAuth, checkJwt, isAdmin…). */
export function looksLikeAuthName(name: string): boolean {
  return authNamePattern.test(name.replace(/[-_\s]/g, ''));
}

/** `*.verifyIdToken` matches `admin.auth().verifyIdToken` (and `verifyIdToken`); other patterns match exactly. */
interface CalleePattern {
  exact?: string;
  /** `.verifyIdToken` and `verifyIdToken` for `*.verifyIdToken`, cut once: every call of every handler is matched. */
  suffix?: string;
  bare?: string;
}

function calleePattern(pattern: string): CalleePattern {
  return pattern.startsWith('*.') ? { suffix: pattern.slice(1), bare: pattern.slice(2) } : { exact: pattern };
}

function calleeMatches(pattern: CalleePattern, callee: string): boolean {
  if (pattern.exact !== undefined) return callee === pattern.exact;
  return callee.endsWith(pattern.suffix!) || callee === pattern.bare;
}
