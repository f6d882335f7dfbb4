import * as assert from 'node:assert/strict';
import { builtinAnalyzer } from '../../helpers';
import { pyInputData } from '../../../../server/src/engine/input/python/pyRuleData';
import { fixtureRows, inputFindings, readFixture, summarise, type FixtureRow } from './inputTestHelpers';

/**
 * Realistic Python handlers per framework (test/fixtures/input/python/<framework>/),
 * validated and not, parameterised and concatenated, analysed through Analyzer.analyzeFile.
 * Each row: the fixture, the path it is analysed as, the project's dependencies, and the
 * exact findings: rule, line of the sink, line the related information points at (the
 * request input), and the quick fixes offered. Every handler not listed (validated,
 * parameterised, allowlisted, escaped) must have no finding.
 */
const SQL_FIX = 'Pass the values as query parameters';

const TABLE: [fixture: string, file: string, dependencies: string[], findings: FixtureRow[]][] = [
  ['python/flask/app.py', 'shop/app.py', ['flask', 'flask-sqlalchemy', 'requests'], [
    ['input/sql-injection', 27, 26, [SQL_FIX]], // f-string LIKE '%{q}%'
    ['input/sql-injection', 45, 43, [SQL_FIX]], // a <username> path variable concatenated
    ['input/mass-assignment', 60, 60], // User(**request.json): no field is read, so no pick
    ['input/command-injection', 80, 78], // os.system with +; the list form above it is fine
    ['input/path-traversal', 88, 87], // file.save() with the client's file name
    ['input/path-traversal', 102, 101], // send_file of a <path:name>
    ['input/open-redirect', 113, 113],
    ['input/ssrf', 127, 127],
    ['input/html-injection', 142, 141], // a view returning an f-string of markup
    ['input/sql-injection', 157, 162, [SQL_FIX]], // in find_by_status(), called with the input
    ['input/sql-injection', 175, 186, [SQL_FIX]], // in a method of an instance of a class of this file; by_id() is parameterised
    ['input/sql-injection', 204, 203, [SQL_FIX]], // an attribute __init__ set from the input; the one set from a constant is fine
  ]],
  ['python/django/views.py', 'blog/views.py', ['django', 'psycopg2'], [
    ['input/sql-injection', 27, 25, [SQL_FIX]], // '%%%s%%' % q
    ['input/sql-injection', 53, 52, [SQL_FIX]], // Manager.raw() with .format()
    ['input/mass-assignment', 59, 59], // .update(**request.POST.dict())
    ['input/command-injection', 66, 65], // json.loads(request.body), shell=True
    ['input/open-redirect', 79, 79], // the other redirect is checked by url_has_allowed_host_and_scheme
    ['input/html-injection', 84, 84], // mark_safe(request.POST[…])
    ['input/path-traversal', 95, 94], // a class-based view's get(); post() keeps only the basename
  ]],
  ['python/django/api.py', 'blog/api.py', ['django', 'djangorestframework', 'psycopg2', 'requests'], [
    ['input/mass-assignment', 18, 18], // the serializer validated, but request.data is saved as it came
    ['input/sql-injection', 23, 22], // .extra(order_by=[…]): a column name, no parameter fix
    ['input/sql-injection', 31, 30, [SQL_FIX]], // self.request in a ViewSet
    ['input/ssrf', 40, 39],
  ]],
  ['python/django/ninja_api.py', 'shop/api.py', ['django', 'django-ninja', 'psycopg2'], [
    ['input/sql-injection', 24, 22, [SQL_FIX]], // a str query parameter; the Schema body is validated
    ['input/sql-injection', 31, 31], // ORDER BY: a column name, no parameter fix
  ]],
  ['python/fastapi/main.py', 'app/main.py', ['fastapi', 'sqlalchemy', 'psycopg2', 'httpx'], [
    ['input/sql-injection', 26, 25, [SQL_FIX]], // Optional[str]; the int path parameter stays in the f-string
    ['input/mass-assignment', 41, 40], // await request.json()
    ['input/mass-assignment', 47, 46], // payload: dict = Body(...)
    ['input/sql-injection', 48, 46, [SQL_FIX]],
    ['input/ssrf', 61, 59], // HttpUrl checks the format, not the host
    ['input/html-injection', 67, 66], // max_length is not validation
    ['input/path-traversal', 78, 77],
    ['input/path-traversal', 83, 83], // UploadFile.filename
    ['input/command-injection', 90, 89],
    ['input/open-redirect', 95, 95], // request.query_params of a Request parameter
  ]],
  ['python/unrecognised/worker.py', 'jobs/worker.py', [], []],
];

describe('input analysis for Python: framework fixtures', () => {
  for (const [fixture, file, dependencies, expected] of TABLE) {
    it(`${fixture}: exactly the expected findings`, () => {
      assert.deepEqual(fixtureRows(inputFindings(readFixture(fixture), file, dependencies)), expected);
    });
  }

  it('every finding carries its rule\'s severity, documentation, Python wording and related locations in its file', () => {
    const rules = new Map(pyInputData().rules.map(({ rule, python }) => [rule.id, { rule, python }]));
    for (const [fixture, file, dependencies] of TABLE) {
      for (const finding of inputFindings(readFixture(fixture), file, dependencies)) {
        const { rule, python } = rules.get(finding.ruleId)!;
        assert.equal(finding.severity, rule.severity, `${fixture}: ${finding.ruleId}`);
        assert.match(finding.docsUrl ?? '', /#input-/);
        assert.match(finding.message, /^The .+?( \(.+\))?(, passed to \w+\(\),)? goes straight into .+: .+\. .+\.$/s);
        assert.ok(finding.message.endsWith(python.advice ?? rule.advice), finding.message);
        assert.doesNotMatch(finding.message, /JavaScript|execFile|(?<!os\.)path\.basename|String\(x\)/);
        assert.ok(finding.related?.length && finding.related.every((related) => related.file === file));
        assert.equal(finding.category, 'input');
      }
    }
  });

  it('a call through a helper names the helper in the message and the related locations', () => {
    const finding = inputFindings(readFixture('python/flask/app.py'), 'shop/app.py', ['flask']).find((candidate) => candidate.range.start.line + 1 === 157)!;
    assert.match(finding.message, /^The "status" parameter in the URL \(request\.args\["status"\]\), passed to find_by_status\(\), goes straight into this SQL query/);
    assert.deepEqual(finding.related?.map((related) => related.message), ['The "status" parameter in the URL is read here (request.args["status"]).', 'It is passed to find_by_status() here.']);
  });

  it('validator names from .shipshape.json count as validation in Python too', () => {
    const code = 'from flask import Flask, redirect, request\napp = Flask(__name__)\n@app.get("/out")\ndef out():\n    target = request.args["to"]\n    check_target(target)\n    return redirect(target)\n';
    assert.deepEqual(inputFindings(code, 'app.py').map(summarise), ['input/open-redirect@7']);
    assert.deepEqual(inputFindings(code, 'app.py', [], { validators: ['check_target'] }), []);
    const guard = code.replace('    check_target(target)\n', '    if not target_ok(target):\n        abort(400)\n');
    assert.deepEqual(inputFindings(guard, 'app.py').map(summarise), ['input/open-redirect@8']);
    assert.deepEqual(inputFindings(guard, 'app.py', [], { validators: ['target_ok'] }), []);
  });

  it('an inline suppression with a Python comment applies, and severity overrides work', () => {
    const code = 'from flask import Flask, redirect, request\napp = Flask(__name__)\n@app.get("/out")\ndef out():\n    # shipshape-ignore input/open-redirect: the proxy in front only allows our hosts\n    return redirect(request.args["to"])\n';
    const [finding] = builtinAnalyzer().analyzeFile({ path: 'app.py', text: code }).findings.filter((candidate) => candidate.category === 'input');
    assert.equal(finding.suppression?.kind, 'inline');
    const off = builtinAnalyzer({ severityOverrides: { 'input/*': 'off' } });
    assert.deepEqual(off.analyzeFile({ path: 'app.py', text: code }).findings.filter((candidate) => candidate.category === 'input'), []);
  });
});
