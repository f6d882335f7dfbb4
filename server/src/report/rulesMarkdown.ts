import type { RuleDescription } from '../engine/ruleCatalog';

const CATEGORY_TITLES: Record<string, string> = {
  secret: 'Secrets',
  auth: 'Authentication',
  input: 'Unchecked request input',
  readiness: 'Production readiness',
  config: 'Shipshape configuration',
};

/**
 * rules/RULES.md: every rule with an anchor per id (`#secret-stripe-secret-key`), which is
 * where each diagnostic's documentation link points. Generated from the rule catalog; a test
 * keeps the file in step with it.
 */
export function rulesMarkdown(rules: readonly RuleDescription[]): string {
  const lines = [
    '# Shipshape rules',
    '',
    'Generated from the rule catalog (`npm run docs:rules`); every finding links to its rule here.',
    'Suppress one occurrence with `shipshape-ignore <ruleId>: <reason>` on the line or the line above;',
    'change a rule\'s severity or turn it off in `.shipshape.json` (`"rules": { "<ruleId>": "off" }`).',
    '',
  ];
  const categories = [...new Set(rules.map((rule) => rule.category))];
  lines.push('| Category | Rules |', '| --- | --- |');
  for (const category of categories) lines.push(`| [${CATEGORY_TITLES[category] ?? category}](#${category}-rules) | ${rules.filter((rule) => rule.category === category).length} |`);
  lines.push('');
  for (const category of categories) {
    lines.push(`<a id="${category}-rules"></a>`, '', `## ${CATEGORY_TITLES[category] ?? category}`, '');
    for (const rule of rules.filter((candidate) => candidate.category === category)) {
      lines.push(`<a id="${anchorOf(rule.id)}"></a>`, '', `### \`${rule.id}\` — ${rule.title}`, '');
      lines.push(`Severity: **${rule.severity === 'info' ? 'note' : rule.severity}** · Tags: ${rule.tags.join(', ')}`, '');
      lines.push(rule.description, '');
      for (const link of rule.links ?? []) lines.push(`- [${link.title}](${link.url})`);
      if (rule.links?.length) lines.push('');
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

export function anchorOf(ruleId: string): string {
  return ruleId.replace(/[^a-z0-9]+/g, '-');
}
