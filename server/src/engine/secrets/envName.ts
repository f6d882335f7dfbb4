/**
 * Picks the environment variable name for a secret moved out of the code: the name the
 * code already gives it when that name says something, otherwise the rule's name.
 */

const VAGUE_NAMES = new Set([
  'KEY', 'API_KEY', 'APIKEY', 'SECRET', 'SECRET_KEY', 'TOKEN', 'ACCESS_TOKEN', 'AUTH_TOKEN', 'PASSWORD', 'PASS', 'PWD',
  'AUTH', 'CREDENTIALS', 'CLIENT_SECRET', 'PRIVATE_KEY', 'VALUE', 'CONFIG', 'URL', 'URI', 'CONNECTION_STRING', 'DSN',
  'AUTHORIZATION', 'HEADERS', 'BEARER',
]);

/** fooBar, foo-bar, foo.bar → FOO_BAR. */
export function toEnvCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
}

/** The identifier a value is assigned to on this line, just before `literalStart`. */
export function assignedName(lineTextBefore: string): string | undefined {
  const match = /([A-Za-z_$][\w$.-]*)["'`]?\]?\s*(?::|=|:=|\?\?=|=>)\s*$/.exec(lineTextBefore)
    ?? /([A-Za-z_][\w.-]*)["']?\s*[:=]\s*["']?$/.exec(lineTextBefore);
  if (!match) return undefined;
  const last = match[1].split('.').pop() ?? match[1];
  return last.replace(/^[$_]+/, '') || undefined;
}

export function chooseEnvName(ruleEnvName: string, lineTextBefore: string): string {
  const assigned = assignedName(lineTextBefore);
  const candidate = assigned ? toEnvCase(assigned) : '';
  if (!candidate || VAGUE_NAMES.has(candidate) || !/^[A-Z][A-Z0-9_]{2,}$/.test(candidate)) return ruleEnvName;
  return candidate;
}
