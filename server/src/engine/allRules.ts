import type { SecretRuleSpec } from './secrets/secretRule';
import { buildRuleCatalog, type RuleDescription } from './ruleCatalog';
import { AUTH_RULES } from './routes/routeFindings';

/** Every rule of every detector family, for SARIF's tool.driver.rules and `shipshape rules`. */
export function allRuleDescriptions(secretSpecs: readonly SecretRuleSpec[]): RuleDescription[] {
  return buildRuleCatalog(secretSpecs, [...AUTH_RULES]);
}
