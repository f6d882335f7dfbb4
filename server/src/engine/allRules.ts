import type { SecretRuleSpec } from './secrets/secretRule';
import { buildRuleCatalog, type RuleDescription } from './ruleCatalog';
import { AUTH_RULES } from './routes/routeFindings';
import { READINESS_RULES } from './readiness/catalog';
import { INPUT_RULES } from './input/inputRules';

/** Every rule of every detector family, for SARIF's tool.driver.rules and `shipshape rules`. */
export function allRuleDescriptions(secretSpecs: readonly SecretRuleSpec[]): RuleDescription[] {
  return buildRuleCatalog(secretSpecs, [...AUTH_RULES, ...INPUT_RULES, ...READINESS_RULES]);
}
