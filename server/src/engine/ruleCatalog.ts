import type { Category, Severity } from './types';
import type { SecretRuleSpec } from './secrets/secretRule';

/** Where every rule's documentation lives; each rule has an anchor there. */
export const PROJECT_URL = 'https://github.com/shipshape-dev/shipshape';
export const RULES_DOC_URL = `${PROJECT_URL}/blob/main/rules/RULES.md`;

/** What adapters (SARIF, `shipshape rules`, hovers) need to describe a rule. */
export interface RuleDescription {
  id: string;
  category: Category;
  title: string;
  /** One or two sentences: what it finds and why it matters. */
  description: string;
  severity: Severity;
  docsUrl: string;
  tags: string[];
  /** Further reading: the provider's page about a credential, where to rotate it. */
  links?: { title: string; url: string }[];
}

export function ruleDocsUrl(ruleId: string): string {
  return `${RULES_DOC_URL}#${ruleId.replace(/[^a-z0-9]+/g, '-')}`;
}

/** Rules about Shipshape's own configuration and suppressions. */
export const CONFIG_RULES: RuleDescription[] = [
  {
    id: 'config/suppression-without-reason',
    category: 'config',
    title: 'Suppression without a reason',
    description: 'A shipshape-ignore or shipshape-public comment must say why the finding is acceptable, so the decision can be reviewed later.',
    severity: 'warning',
    docsUrl: ruleDocsUrl('config/suppression-without-reason'),
    tags: ['maintainability'],
  },
  {
    id: 'config/invalid-config',
    category: 'config',
    title: 'Invalid .shipshape.json',
    description: 'The workspace configuration could not be read as written; Shipshape uses its defaults for the invalid parts.',
    severity: 'error',
    docsUrl: ruleDocsUrl('config/invalid-config'),
    tags: ['configuration'],
  },
];

export function describeSecretRule(spec: SecretRuleSpec): RuleDescription {
  return {
    id: spec.id,
    category: 'secret',
    title: spec.title,
    description: `${spec.title} written in a file.${spec.risk ? ` Anyone who has it can ${spec.risk}.` : ''} Keep it in an environment variable or secret manager, on the server only.`,
    severity: spec.severity,
    docsUrl: ruleDocsUrl(spec.id),
    tags: ['security', 'secret', spec.provider],
    links: [{ title: `${spec.provider}: about this credential`, url: spec.docs }, ...(spec.rotate ? [{ title: 'Revoke and reissue it', url: spec.rotate }] : [])],
  };
}

/** Every rule the product knows, for SARIF's tool.driver.rules and `shipshape rules`. */
export function buildRuleCatalog(secretSpecs: readonly SecretRuleSpec[], extra: readonly RuleDescription[] = []): RuleDescription[] {
  return [...secretSpecs.map(describeSecretRule), ...extra, ...CONFIG_RULES];
}
