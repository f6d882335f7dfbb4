import { RE2JS } from 're2js';
import type { CustomSecretRule } from '../config/shipshapeConfig';
import type { CompiledSecretRule, WindowMatch } from './secretRule';
import { withAllowlists } from './compileRule';
import { toEnvCase } from './envName';

/**
 * Secret rules a workspace defines in .shipshape.json. Their patterns come from whoever
 * wrote the repository, so they run on RE2 (linear time, no catastrophic backtracking)
 * and only in trusted workspaces.
 */
export function compileWorkspaceSecretRules(rules: readonly CustomSecretRule[]): { rules: CompiledSecretRule[]; problems: { rule: CustomSecretRule; message: string }[] } {
  const compiled: CompiledSecretRule[] = [];
  const problems: { rule: CustomSecretRule; message: string }[] = [];
  for (const rule of rules) {
    let pattern: RE2JS;
    try {
      pattern = RE2JS.compile(rule.regex);
    } catch (error) {
      problems.push({ rule, message: `${rule.id}: the regex does not compile (${(error as Error).message}). Patterns use RE2 syntax: no look-around or back-references.` });
      continue;
    }
    const group = rule.secretGroup ?? (pattern.groupCount() >= 1 ? 1 : 0);
    if (group > pattern.groupCount()) {
      problems.push({ rule, message: `${rule.id}: secretGroup ${group} does not exist; the regex has ${pattern.groupCount()} group(s).` });
      continue;
    }
    const findAll = (window: string): WindowMatch[] => {
      const matches: WindowMatch[] = [];
      const matcher = pattern.matcher(window);
      while (matcher.find()) {
        if (matcher.end() === matcher.start()) continue;
        const secretStart = matcher.start(group);
        if (secretStart < 0) continue;
        matches.push({ start: matcher.start(), end: matcher.end(), secretStart, secretEnd: matcher.end(group) });
      }
      return matches;
    };
    const compiledRule = withAllowlists(
      {
        id: rule.id,
        title: rule.title,
        provider: rule.title,
        severity: rule.severity,
        keywords: rule.keywords,
        regex: rule.regex,
        secretGroup: group,
        ...(rule.entropy !== undefined ? { entropy: rule.entropy } : {}),
        envName: rule.envName ?? toEnvCase(rule.id.replace(/^secret\//, '')),
        docs: 'https://github.com/shipshape-dev/shipshape#custom-secret-rules',
        examples: { positive: [], negative: [] },
      },
      findAll,
    );
    compiled.push({ ...compiledRule, fromWorkspace: true });
  }
  return { rules: compiled, problems };
}
