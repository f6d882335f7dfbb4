import type { CompiledSecretRule, SecretRuleSpec, WindowMatch } from './secretRule';

/** Compiles a built-in rule with JavaScript's regex engine (patterns are checked for ReDoS by the tests). */
export function compileSecretRule(spec: SecretRuleSpec): CompiledSecretRule {
  const flags = `dg${spec.flags?.includes('i') ? 'i' : ''}`;
  const regex = new RegExp(spec.regex, flags);
  const group = spec.secretGroup ?? 0;
  if (group > countGroups(regex)) throw new Error(`${spec.id}: secretGroup ${group} does not exist in its regex`);
  const findAll = (window: string): WindowMatch[] => {
    const matches: WindowMatch[] = [];
    regex.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = regex.exec(window)) !== null) {
      if (match[0].length === 0) {
        regex.lastIndex++;
        continue;
      }
      const secretSpan = match.indices?.[group];
      if (!secretSpan) continue;
      matches.push({ start: match.index, end: match.index + match[0].length, secretStart: secretSpan[0], secretEnd: secretSpan[1] });
    }
    return matches;
  };
  return withAllowlists(spec, findAll);
}

export function withAllowlists(spec: SecretRuleSpec, findAll: (window: string) => WindowMatch[]): CompiledSecretRule {
  return {
    spec,
    findAll,
    // Case-sensitive: "^[A-Z_]+$" (a constant's name) must not also match a random key.
    allowRegexes: (spec.allowlist?.regexes ?? []).map((pattern) => new RegExp(pattern)),
    stopwords: (spec.allowlist?.stopwords ?? []).map((word) => word.toLowerCase()),
    contextRegexes: (spec.allowlist?.context ?? []).map((pattern) => new RegExp(pattern)),
    languages: spec.languages ? new Set(spec.languages) : undefined,
  };
}

/**
 * Capturing groups in a pattern, read off its source: `(…)` and named `(?<name>…)`, not
 * `(?:…)`, lookarounds, escaped or bracketed parentheses. (Running a copy of each regex to
 * count them cost more at start-up than a small project's whole scan.)
 */
export function countGroups(regex: RegExp): number {
  const source = regex.source;
  let groups = 0;
  let inClass = false;
  for (let index = 0; index < source.length; index++) {
    const char = source[index];
    if (char === '\\') index++;
    else if (inClass) inClass = char !== ']';
    else if (char === '[') inClass = true;
    else if (char === '(') {
      if (source[index + 1] !== '?') groups++;
      else if (source[index + 2] === '<' && source[index + 3] !== '=' && source[index + 3] !== '!') groups++;
    }
  }
  return groups;
}
