import * as assert from 'node:assert/strict';
import type { PyNode } from '../../../../server/src/engine/python/ast';
import { parsePython } from '../../../../server/src/engine/python/parser';
import { callName, dottedName, findAll, keywordArg, stringValue } from '../../../../server/src/engine/python/walk';
import { functionNamed, parseValid, readFixture, show } from './pythonTestSupport';

/** Every call inside a node, outermost first, as S-expressions. */
function calls(node: PyNode): string[] {
  return findAll(node, 'Call').map(show);
}

describe('python parser on dangerous calls', () => {
  const module = parseValid(readFixture('sinks.py'));
  const callsIn = (name: string): string[] => calls(functionNamed(module, name));

  it('shows how a query was built: f-string, %, + and .format, or parameters', () => {
    assert.deepEqual(callsIn('sql_fstring'), ['(call cursor.execute (f (sub request.args "q")))']);
    assert.deepEqual(callsIn('sql_percent'), [`(call cursor.execute (% "SELECT * FROM users WHERE name = '%s'" name))`]);
    assert.deepEqual(callsIn('sql_concat'), [`(call cursor.execute (+ (+ "SELECT * FROM users WHERE name = '" name) "'"))`]);
    assert.deepEqual(callsIn('sql_parameters'), ['(call cursor.execute "SELECT * FROM users WHERE name = %s" (tuple name))']);
    const [execute, format] = findAll(functionNamed(module, 'sql_format'), 'Call');
    assert.equal(callName(execute), 'cursor.execute');
    assert.equal(callName(format), undefined, 'a method on a literal has no dotted name');
    assert.ok(format.func.type === 'Attribute' && format.func.attr === 'format' && format.func.value.type === 'Str');
  });

  it('shows shell commands and whether shell=True', () => {
    assert.deepEqual(callsIn('shell'), [
      '(call os.system cmd)',
      '(call os.popen (+ "ls " cmd))',
      '(call subprocess.run cmd shell=True)',
      '(call subprocess.Popen ["ls" cmd])',
      '(call subprocess.check_output (f cmd) shell=True text=True)',
    ]);
    const run = findAll(functionNamed(module, 'shell'), 'Call').find((call) => callName(call) === 'subprocess.run')!;
    assert.equal(show(keywordArg(run, 'shell')), 'True');
  });

  it('shows code evaluation, file access, outbound requests and templates', () => {
    assert.deepEqual(callsIn('code'), ['(call eval source)', '(call exec (call compile source "<string>" "exec"))', '(call compile source "<string>" "exec")']);
    assert.deepEqual(callsIn('files'), ['(call open path)', '(call open path "rb")', '(call handle.read)']);
    assert.deepEqual(callsIn('ssrf'), ['(call requests.get url)', '(call requests.post url json=(dict "a":1) timeout=3)']);
    assert.deepEqual(callsIn('template'), ['(call render_template_string source)']);
    assert.deepEqual(callsIn('deserialize'), ['(call pickle.loads blob)', '(call yaml.load blob Loader=yaml.Loader)']);
  });

  it('shows request data flowing through local variables', () => {
    const flow = functionNamed(module, 'json_flow');
    assert.deepEqual(
      flow.body.map((statement) => (statement.type === 'Assign' ? `${show(statement.targets[0])} = ${show(statement.value)}` : show(statement.type === 'Return' ? statement.value : undefined))),
      ['data = (call request.get_json)', 'name = (sub data "name")', 'email = (call data.get "email")', '(tuple name email)'],
    );
    const redirect = functionNamed(module, 'open_redirect');
    assert.deepEqual(calls(redirect), ['(call request.args.get "next")', '(call redirect next_url)']);
    const [massAssignment] = findAll(functionNamed(module, 'mass_assignment'), 'Call');
    assert.deepEqual([callName(massAssignment), massAssignment.keywords[0].arg, dottedName(massAssignment.keywords[0].value)], ['User', undefined, 'request.json']);
  });

  it('finds the sinks in Python 2 code, next to the statements it cannot parse', () => {
    const text = readFixture('legacy/py2_views.py');
    const legacy = parsePython(text);
    assert.ok(legacy.errors.length > 0);
    const handler = functionNamed(legacy, 'handler');
    assert.deepEqual(
      handler.body.map((statement) => statement.type),
      ['ErrorStatement', 'ErrorStatement', 'ExprStatement', 'Assign', 'ExprStatement', 'If', 'ErrorStatement'],
    );
    const print = handler.body[0];
    assert.ok(print.type === 'ErrorStatement');
    assert.deepEqual([show(print.partial?.type === 'ExprStatement' ? print.partial.value : undefined), print.expressions.map(show)], ['print', ['"hello"', 'request.args']]);
    const exec = handler.body[1];
    assert.ok(exec.type === 'ErrorStatement');
    assert.deepEqual(exec.expressions.map(stringValue), ['x = 1']);
    assert.deepEqual(calls(handler), ['(call request.GET.get "name")', `(call cursor.execute (% "SELECT * FROM t WHERE name = '%s'" name))`]);
    const check = handler.body[5];
    assert.ok(check.type === 'If');
    assert.equal(show(check.test), '(cmp name != "admin")');
    assert.deepEqual(check.body.map((statement) => statement.type === 'ErrorStatement' && statement.partial?.type), ['Raise']);
    assert.deepEqual(findAll(legacy, 'FunctionDef').map((fn) => fn.name), ['handler', 'method', 'after']);
    assert.deepEqual(calls(functionNamed(legacy, 'after')), ['(call urllib2.urlopen self.url)']);
  });
});
