import { dependencyMatches, patternFound } from '../declarative';
import { parenthesised, qualifiedName, sqlStatements, wordsAt, type SqlToken } from '../parse/sql';
import type { Evidence, Verdict } from '../types';
import { TEST_PATH } from '../workspace';
import { inScope, stringList, stringParameter, type CheckContext } from './context';

/**
 * Supabase exposes every table of the public schema through its REST API to anyone holding
 * the anon key (which ships in the browser). Row level security is the only thing between
 * those tables and the world, so migrations must enable it on every table and must not add
 * write policies that allow everything.
 */

interface TableState {
  display: string;
  file: string;
  offset: number;
  rls: boolean;
}

const EXPOSED_SCHEMAS = new Set(['public']);
const WRITE_COMMANDS = new Set(['all', 'insert', 'update', 'delete']);
const PRIVILEGED_ROLES = new Set(['service_role', 'postgres', 'supabase_admin']);

export function supabaseRls(context: CheckContext): Verdict {
  const migrations = context.workspace.select(context.scope, stringList(context.parameters.migrationFiles));
  if (migrations.length === 0) {
    const usesSupabase = context.scope.dependencies.some((dependency) => stringList(context.parameters.supabasePackages).some((name) => dependencyMatches(name, dependency.name, dependency.ecosystem)));
    if (!usesSupabase) return { status: 'pass', evidence: [], notApplicable: true, reason: 'No Supabase in this unit.' };
    return { status: 'unknown', evidence: [], reason: 'No SQL migrations in supabase/migrations: tables made in the Supabase dashboard are not visible here. Run `supabase db pull` to bring the schema into the repository.' };
  }
  const tables = new Map<string, TableState>();
  const openPolicies: Evidence[] = [];
  let unreadable = 0;
  // Migration files run in name order (timestamps).
  for (const file of [...migrations].sort((a, b) => a.path.localeCompare(b.path))) {
    const text = context.workspace.read(file.path);
    if (text === undefined) {
      unreadable++;
      continue;
    }
    for (const statement of sqlStatements(text)) {
      const tokens = statement.tokens;
      interpretStatement(tokens, file.path, tables, openPolicies, (offset, description) => context.workspace.evidenceAtOffset(file.path, offset, offset + 1, description));
    }
  }
  const missing = [...tables.values()].filter((table) => !table.rls);
  const evidence = [
    ...missing.map((table) => context.workspace.evidenceAtOffset(table.file, table.offset, table.offset + 1, `Table ${table.display} is created without row level security: anyone with the anon key can read and change it`)),
    ...openPolicies,
  ];
  if (evidence.length) return { status: 'fail', evidence: evidence.slice(0, 10) };
  if (unreadable) return { status: 'unknown', evidence: [], reason: `${unreadable} migration file${unreadable === 1 ? '' : 's'} could not be read.` };
  return {
    status: 'pass',
    evidence: [],
    reason: tables.size ? `Row level security is enabled on ${tables.size === 1 ? 'the one table' : `all ${tables.size} tables`} the migrations create, and no write policy allows everything.` : 'The migrations create no tables in the public schema.',
  };
}

function interpretStatement(tokens: SqlToken[], file: string, tables: Map<string, TableState>, openPolicies: Evidence[], at: (offset: number, description: string) => Evidence): void {
  const keyOf = (schema: string | undefined, name: string) => `${schema ?? 'public'}.${name}`;
  // CREATE [OR REPLACE] [GLOBAL|LOCAL] [TEMP|TEMPORARY|UNLOGGED] TABLE [IF NOT EXISTS] name
  if (wordsAt(tokens, 0, 'create')) {
    let index = 1;
    let temporary = false;
    while (tokens[index]?.kind === 'word' && ['or', 'replace', 'global', 'local', 'temp', 'temporary', 'unlogged'].includes(tokens[index].value)) {
      if (tokens[index].value.startsWith('temp')) temporary = true;
      index++;
    }
    if (wordsAt(tokens, index, 'table')) {
      index++;
      if (wordsAt(tokens, index, 'if', 'not', 'exists')) index += 3;
      const name = qualifiedName(tokens, index);
      if (!name || temporary) return;
      const schema = name.schema ?? 'public';
      if (!EXPOSED_SCHEMAS.has(schema)) return;
      const key = keyOf(name.schema, name.name);
      if (!tables.has(key)) tables.set(key, { display: name.schema ? `${name.schema}.${name.name}` : name.name, file, offset: tokens[0].offset, rls: false });
      return;
    }
    if (wordsAt(tokens, index, 'policy')) {
      checkPolicy(tokens, index + 1, openPolicies, at);
      return;
    }
    return;
  }
  if (wordsAt(tokens, 0, 'alter', 'table')) {
    let index = 2;
    if (wordsAt(tokens, index, 'if', 'exists')) index += 2;
    if (wordsAt(tokens, index, 'only')) index++;
    const name = qualifiedName(tokens, index);
    if (!name) return;
    const key = keyOf(name.schema, name.name);
    const rest = tokens.slice(name.next);
    for (let k = 0; k < rest.length; k++) {
      if (wordsAt(rest, k, 'enable', 'row', 'level', 'security')) {
        const table = tables.get(key);
        if (table) table.rls = true;
      } else if (wordsAt(rest, k, 'disable', 'row', 'level', 'security')) {
        const table = tables.get(key);
        if (table) table.rls = false;
      } else if (wordsAt(rest, k, 'rename', 'to')) {
        const target = qualifiedName(rest, k + 2);
        const table = tables.get(key);
        if (target && table) {
          tables.delete(key);
          tables.set(keyOf(name.schema, target.name), { ...table, display: target.name });
        }
      }
    }
    return;
  }
  if (wordsAt(tokens, 0, 'alter', 'policy')) {
    checkPolicy(tokens, 2, openPolicies, at);
    return;
  }
  if (wordsAt(tokens, 0, 'drop', 'table')) {
    let index = 2;
    if (wordsAt(tokens, index, 'if', 'exists')) index += 2;
    while (index < tokens.length) {
      const name = qualifiedName(tokens, index);
      if (!name) break;
      tables.delete(keyOf(name.schema, name.name));
      index = name.next;
      if (tokens[index]?.value !== ',') break;
      index++;
    }
  }
}

/** CREATE POLICY name ON table [AS …] [FOR cmd] [TO roles] [USING (…)] [WITH CHECK (…)] */
function checkPolicy(tokens: SqlToken[], index: number, openPolicies: Evidence[], at: (offset: number, description: string) => Evidence): void {
  const policyName = tokens[index]?.value ?? '';
  let k = index + 1;
  if (!wordsAt(tokens, k, 'on')) return;
  const table = qualifiedName(tokens, k + 1);
  if (!table) return;
  k = table.next;
  let command = 'all';
  let roles: string[] = ['public'];
  const open: string[] = [];
  while (k < tokens.length) {
    if (wordsAt(tokens, k, 'as')) k += 2;
    else if (wordsAt(tokens, k, 'for')) {
      command = tokens[k + 1]?.value ?? 'all';
      k += 2;
    } else if (wordsAt(tokens, k, 'to')) {
      roles = [];
      k++;
      while (tokens[k] && (tokens[k].kind === 'word' || tokens[k].kind === 'identifier') && !['using', 'with'].includes(tokens[k].value)) {
        roles.push(tokens[k].value);
        k++;
        if (tokens[k]?.value === ',') k++;
      }
    } else if (wordsAt(tokens, k, 'using')) {
      const expression = parenthesised(tokens, k + 1);
      if (!expression) return;
      if (alwaysTrue(expression.inner)) open.push('using (true)');
      k = expression.next;
    } else if (wordsAt(tokens, k, 'with', 'check')) {
      const expression = parenthesised(tokens, k + 2);
      if (!expression) return;
      if (alwaysTrue(expression.inner)) open.push('with check (true)');
      k = expression.next;
    } else k++;
  }
  if (!WRITE_COMMANDS.has(command) || open.length === 0) return;
  if (roles.length > 0 && roles.every((role) => PRIVILEGED_ROLES.has(role))) return;
  const who = roles.includes('authenticated') && !roles.includes('anon') && !roles.includes('public') ? 'any signed-in user' : 'anyone';
  openPolicies.push(at(tokens[0].offset, `Policy "${policyName}" on ${table.schema ? `${table.schema}.` : ''}${table.name} lets ${who} ${command === 'all' ? 'write' : command} any row (${open.join(', ')})`));
}

/** `true`, `(true)`, `'true'::boolean`, `1 = 1`. */
function alwaysTrue(tokens: readonly SqlToken[]): boolean {
  const text = tokens.map((token) => (token.kind === 'string' ? `'${token.value}'` : token.value)).join(' ').replace(/[()]/g, ' ').replace(/\s+/g, ' ').trim().toLowerCase();
  return text === 'true' || text === "'true' : : boolean" || text === "'t' : : boolean" || text === '1 = 1';
}

/**
 * The service_role key bypasses row level security: in code that ships to the browser,
 * every visitor can read and change every row.
 */
export function supabaseServiceRoleInClient(context: CheckContext): Verdict {
  const usesSupabase = context.scope.dependencies.some((dependency) => stringList(context.parameters.supabasePackages).some((name) => dependencyMatches(name, dependency.name, dependency.ecosystem)));
  const secretRules = new Set(stringList(context.parameters.serviceRoleRules));
  const exposed = context.input.findings.filter((finding) => !finding.suppression && secretRules.has(finding.ruleId) && finding.properties?.shipsToBrowser === true);
  const evidence: Evidence[] = exposed
    .filter((finding) => inScope(context, finding.file))
    .map((finding) => ({ file: finding.file, range: finding.range, description: 'A Supabase service_role key ships to the browser' }));
  if (!usesSupabase && evidence.length === 0) return { status: 'pass', evidence: [], notApplicable: true, reason: 'No Supabase in this unit.' };
  const reference = stringParameter(context, 'referencePattern');
  const publicName = stringParameter(context, 'publicNamePattern');
  const clientPath = stringParameter(context, 'clientPathPattern');
  const serverPath = stringParameter(context, 'serverPathPattern');
  const browserOnly = context.scope.unit.kind === 'frontend';
  for (const file of context.workspace.select(context.scope, stringList(context.parameters.sourceFiles))) {
    if (evidence.length >= 10) break;
    if (TEST_PATH.test(file.local)) continue;
    const text = context.workspace.read(file.path);
    if (text === undefined || !/service_role|SERVICE_ROLE/.test(text)) continue;
    const lines = text.split('\n');
    const isClient = /^(?:\s|\/\/[^\n]*\n)*['"]use client['"]/.test(text) || (patternFound(clientPath, file.local, 'i') && !patternFound(serverPath, file.local, 'i')) || (browserOnly && !patternFound(serverPath, file.local, 'i'));
    lines.forEach((line, number) => {
      if (evidence.length >= 10) return;
      if (patternFound(publicName, line)) {
        evidence.push(context.workspace.evidenceAtLine(file.path, number, 'The service_role key is read from a public (browser-visible) environment variable'));
      } else if (isClient && patternFound(reference, line)) {
        evidence.push(context.workspace.evidenceAtLine(file.path, number, `The service_role key is used in ${file.path}, which runs in the browser`));
      }
    });
  }
  if (evidence.length) return { status: 'fail', evidence };
  return { status: 'pass', evidence: [], reason: 'The service_role key is not used in browser code.' };
}
