import { ruleDocsUrl, type RuleDescription } from '../ruleCatalog';
import { inputRuleData } from './ruleData';

/** The input rules (rules/input/sinks.json), described for SARIF and `shipshape rules`. */
export const INPUT_RULES: RuleDescription[] = inputRuleData().rules.map((rule) => ({
  id: rule.id,
  category: 'input',
  title: rule.title,
  description: rule.description,
  severity: rule.severity,
  docsUrl: ruleDocsUrl(rule.id),
  tags: rule.tags,
}));
