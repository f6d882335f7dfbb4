import { parseArgs } from 'node:util';
import type { Severity } from '../engine/types';
import { UsageError } from './cliIo';

export type OutputFormat = 'text' | 'json' | 'sarif' | 'markdown';
export type FailOn = Severity | 'none';

export interface CliOptions {
  command: string;
  paths: string[];
  format: OutputFormat;
  output?: string;
  failOn: FailOn;
  baseline?: string;
  writeBaseline?: string;
  changedSince?: string;
  config?: string;
  /** Rule ids or category wildcards (`secret/*`) to report; all when empty. */
  rules: string[];
  quiet: boolean;
  verbose: boolean;
  jobs?: number;
  help: boolean;
  version: boolean;
  force: boolean;
  /** Opt-in online look-ups (known-vulnerable versions from OSV); off by default. */
  online: boolean;
}

const FORMATS: OutputFormat[] = ['text', 'json', 'sarif', 'markdown'];
const FAIL_ON: Record<string, FailOn> = { error: 'error', warning: 'warning', note: 'info', info: 'info', none: 'none' };

export function parseCliOptions(argv: string[]): CliOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string', short: 'f' },
      output: { type: 'string', short: 'o' },
      'fail-on': { type: 'string' },
      baseline: { type: 'string' },
      'write-baseline': { type: 'string' },
      'changed-since': { type: 'string' },
      config: { type: 'string', short: 'c' },
      rules: { type: 'string', multiple: true },
      quiet: { type: 'boolean', short: 'q' },
      verbose: { type: 'boolean', short: 'v' },
      jobs: { type: 'string', short: 'j' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'V' },
      force: { type: 'boolean' },
      online: { type: 'boolean' },
    },
  });
  const [command = '', ...paths] = positionals;
  const format = (values.format ?? 'text') as OutputFormat;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${values.format}"`);
  const failOn = FAIL_ON[values['fail-on'] ?? 'error'];
  if (!failOn) throw new UsageError(`--fail-on must be error, warning, note or none, not "${values['fail-on']}"`);
  let jobs: number | undefined;
  if (values.jobs !== undefined) {
    jobs = Number(values.jobs);
    if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) throw new UsageError(`--jobs must be a whole number from 1 to 64, not "${values.jobs}"`);
  }
  if (values.quiet && values.verbose) throw new UsageError('--quiet and --verbose cannot be used together');
  const rules = (values.rules ?? []).flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean);
  for (const rule of rules) {
    if (!/^[a-z]+(\/([a-z0-9-]+|\*))?$/.test(rule)) throw new UsageError(`--rules takes rule ids or categories such as "secret/*" or "auth", not "${rule}"`);
  }
  return {
    command,
    paths,
    format,
    output: values.output,
    failOn,
    baseline: values.baseline,
    writeBaseline: values['write-baseline'],
    changedSince: values['changed-since'],
    config: values.config,
    rules,
    quiet: values.quiet ?? false,
    verbose: values.verbose ?? false,
    jobs,
    help: values.help ?? false,
    version: values.version ?? false,
    force: values.force ?? false,
    online: values.online ?? false,
  };
}

/**
 * Stops a --rules filter that selects nothing (`secrets`, a misspelt id): the scan would report
 * "0 findings" and look clean. Names the categories, and the one meant when it is close.
 */
export function checkRuleFilters(filters: readonly string[], ruleIds: readonly string[]): void {
  const categories = [...new Set(ruleIds.map((id) => id.split('/')[0]))];
  for (const filter of filters) {
    if (ruleIds.some((id) => ruleSelected(id, [filter]))) continue;
    const [category, name = ''] = filter.split('/');
    const meant = categories.find((known) => category !== known && (category.startsWith(known) || known.startsWith(category)));
    const word = name.split('-')[0];
    const similar = categories.includes(category) && word.length >= 3 ? ruleIds.filter((id) => id.startsWith(`${category}/`) && id.includes(word)).slice(0, 3) : [];
    const hint = meant ? ` Did you mean "${filter.replace(category, meant)}"?` : similar.length ? ` Did you mean ${similar.map((id) => `"${id}"`).join(' or ')}?` : '';
    throw new UsageError(`--rules "${filter}" matches no rule.${hint} Categories: ${categories.join(', ')}; "shipshape rules" lists every id.`);
  }
}

/** Whether a rule id passes the --rules filter (`secret`, `secret/*` or an exact id). */
export function ruleSelected(ruleId: string, filters: readonly string[]): boolean {
  if (filters.length === 0) return true;
  return filters.some((filter) => filter === ruleId || ruleId.startsWith(`${filter.replace(/\/\*$/, '')}/`));
}
