import { compileSecretRule } from './secrets/compileRule';
import { loadSecretRuleSpecs } from './secrets/loadSecretRules';
import type { CompiledSecretRule } from './secrets/secretRule';

const cache = new Map<string, CompiledSecretRule[]>();

/** The product's secret rules, read and compiled once per process. */
export function builtinSecretRules(rulesDirectory: string): CompiledSecretRule[] {
  let rules = cache.get(rulesDirectory);
  if (!rules) {
    rules = loadSecretRuleSpecs(rulesDirectory).map(compileSecretRule);
    cache.set(rulesDirectory, rules);
  }
  return rules;
}
