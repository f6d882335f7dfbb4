import { loadSecretRuleSpecs } from '../engine/secrets/loadSecretRules';
import { allRuleDescriptions } from '../engine/allRules';
import type { CliIo } from './cliIo';
import { checkRuleFilters, ruleSelected, type CliOptions } from './options';

/** `shipshape rules`: every rule with its category, default severity and documentation. */
export function runRulesCommand(options: CliOptions, io: CliIo, rulesDirectory: string): number {
  const all = allRuleDescriptions(loadSecretRuleSpecs(rulesDirectory));
  checkRuleFilters(options.rules, all.map((rule) => rule.id));
  const rules = all.filter((rule) => ruleSelected(rule.id, options.rules));
  if (options.format === 'json') {
    io.stdout(`${JSON.stringify(rules, null, 2)}\n`);
    return 0;
  }
  const idWidth = Math.max(...rules.map((rule) => rule.id.length));
  const lines = rules.map((rule) => `${rule.id.padEnd(idWidth)}  ${rule.category.padEnd(9)}  ${rule.severity.padEnd(7)}  ${rule.title}\n${' '.repeat(idWidth + 2)}${rule.docsUrl}`);
  io.stdout(`${lines.join('\n')}\n\n${rules.length} rules\n`);
  return 0;
}
