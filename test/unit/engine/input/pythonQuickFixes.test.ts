import * as assert from 'node:assert/strict';
import { parsePython } from '../../../../server/src/engine/python/parser';
import { applyEdits, editFixes, inputFindings, readFixture } from './inputTestHelpers';
import type { QuickFixCase } from './quickFixCases';

/**
 * The Python quick fixes, applied to their fixtures (test/fixtures/input/python/fixes/): the
 * finding (rule, line) and fix (title) applied give the `.fixed.py` file exactly; the result
 * parses and no longer has that finding.
 */
type FixCase = Pick<QuickFixCase, 'fixture' | 'file' | 'dependencies' | 'rule' | 'line' | 'title'>;

const SQL = 'input/sql-injection';
const MASS = 'input/mass-assignment';

const FIX_CASES: FixCase[] = [
  { fixture: 'sql-sqlite-fstring', file: 'shop/app.py', dependencies: ['flask'], rule: SQL, line: 10, title: 'Pass the values as query parameters (?)' },
  { fixture: 'sql-psycopg-percent', file: 'shop/app.py', dependencies: ['flask'], rule: SQL, line: 11, title: 'Pass the values as query parameters (%s, %s)' },
  { fixture: 'sql-format-merge', file: 'shop/app.py', dependencies: ['flask'], rule: SQL, line: 11, title: 'Pass the values as query parameters (?)' },
  { fixture: 'sql-concat-variable', file: 'shop/app.py', dependencies: ['flask', 'pymysql'], rule: SQL, line: 12, title: 'Pass the values as query parameters (%s)' },
  { fixture: 'sql-sqlalchemy-text', file: 'app/main.py', dependencies: ['fastapi', 'sqlalchemy', 'psycopg2'], rule: SQL, line: 12, title: 'Pass the values as query parameters (:status, :customer)' },
  { fixture: 'sql-django-triple', file: 'reports/views.py', dependencies: ['django', 'psycopg2'], rule: SQL, line: 8, title: 'Pass the values as query parameters (%s)' },
  { fixture: 'mass-flask', file: 'shop/app.py', dependencies: ['flask', 'flask-sqlalchemy'], rule: MASS, line: 13, title: 'Save only the expected fields (email, name)' },
  { fixture: 'mass-django', file: 'accounts/views.py', dependencies: ['django'], rule: MASS, line: 9, title: 'Save only the expected fields (bio, website)' },
];

describe('input quick fixes for Python: applied to their fixtures', () => {
  for (const fixCase of FIX_CASES) {
    it(`${fixCase.fixture}.py:${fixCase.line} "${fixCase.title}"`, () => {
      const text = readFixture(`python/fixes/${fixCase.fixture}.py`);
      const findings = inputFindings(text, fixCase.file, fixCase.dependencies);
      const finding = findings.find((candidate) => candidate.ruleId === fixCase.rule && candidate.range.start.line + 1 === fixCase.line);
      assert.ok(finding, `no ${fixCase.rule} at line ${fixCase.line}: ${findings.map((f) => `${f.ruleId}@${f.range.start.line + 1}`).join(', ')}`);
      const fixes = editFixes(finding);
      assert.deepEqual(fixes.map((fix) => fix.title), [fixCase.title]);
      assert.equal(fixes[0].preferred, true);

      const fixed = applyEdits(text, fixes[0].edits);
      assert.equal(fixed, readFixture(`python/fixes/${fixCase.fixture}.fixed.py`));
      assert.deepEqual(parsePython(fixed).errors, [], 'the fixed code parses');
      const remaining = inputFindings(fixed, fixCase.file, fixCase.dependencies).filter((candidate) => candidate.ruleId === fixCase.rule);
      assert.equal(remaining.length, findings.filter((candidate) => candidate.ruleId === fixCase.rule).length - 1, 'the fix removes the finding');
    });
  }
});

/**
 * Where a rewrite could change what the program does, or the facts it needs are not in the
 * file, the finding stands and no edit is offered.
 */
const H = 'from flask import Flask, request\nimport sqlite3\napp = Flask(__name__)\ndb = sqlite3.connect("x.db")\n@app.get("/x")\ndef x():\n';

const NO_FIX: [why: string, code: string, dependencies: string[]][] = [
  ['an identifier position (ORDER BY) cannot take a parameter', H + '    return db.execute(f"SELECT * FROM t ORDER BY {request.args[\'sort\']}").fetchall()\n', []],
  ['IN (…) with a list is not one parameter', H + '    return db.execute(f"SELECT * FROM t WHERE id IN ({request.args[\'ids\']})").fetchall()\n', []],
  ['a table name is an identifier', H + '    return db.execute(f"DELETE FROM {request.args[\'t\']} WHERE id = 1").fetchall()\n', []],
  ['double quotes may be an identifier', H + '    return db.execute(f\'SELECT * FROM t WHERE name = "{request.args["n"]}"\').fetchall()\n', []],
  ['escape sequences would read differently in a value', H + '    return db.execute(f"SELECT * FROM t WHERE a = \'{request.args[\'a\']}\\\\n\'").fetchall()\n', []],
  ['the parameters are passed in a variable', H + '    params = ("x",)\n    return db.execute(f"SELECT * FROM t WHERE o = ? AND a = \'{request.args[\'a\']}\'", params).fetchall()\n', []],
  ['two values glued into one', H + '    return db.execute(f"SELECT * FROM t WHERE code = {request.args[\'a\']}{request.args[\'b\']}").fetchall()\n', []],
  ['a conversion (!r) changes the text', H + '    return db.execute(f"SELECT * FROM t WHERE code = {request.args[\'a\']!r}").fetchall()\n', []],
  ['a %r format changes the text', H + '    return db.execute("SELECT * FROM t WHERE code = %r" % request.args["a"]).fetchall()\n', []],
  ['the SQL variable is used elsewhere too', H + '    sql = f"SELECT * FROM t WHERE a = \'{request.args[\'a\']}\'"\n    print(sql)\n    return db.execute(sql).fetchall()\n', []],
  ['a concatenation that does not start as a string', H + '    base = "SELECT * FROM t WHERE "\n    return db.execute(base + request.args["w"] + " LIMIT 1").fetchall()\n', []],
  ['executemany takes a list of parameter tuples', H + '    return db.executemany(f"INSERT INTO t VALUES (\'{request.args[\'a\']}\')", [()])\n', []],
  ['two drivers with different placeholders are imported', 'from flask import Flask, request\nimport sqlite3, psycopg2\napp = Flask(__name__)\n@app.get("/x")\ndef x(cursor):\n    cursor.execute(f"SELECT * FROM t WHERE a = \'{request.args[\'a\']}\'")\n', []],
  ['the driver is unknown', 'from flask import Flask, request\nfrom .db import cursor\napp = Flask(__name__)\n@app.get("/x")\ndef x():\n    cursor.execute(f"SELECT * FROM t WHERE a = \'{request.args[\'a\']}\'")\n', []],
  ['a SQLAlchemy session takes text(), not a driver placeholder', 'from flask import Flask, request\nfrom flask_sqlalchemy import SQLAlchemy\napp = Flask(__name__)\ndb = SQLAlchemy(app)\n@app.get("/x")\ndef x():\n    return db.session.execute(f"SELECT * FROM t WHERE a = \'{request.args[\'a\']}\'").all()\n', ['sqlite3']],
  ['MySQL drivers quote a LIMIT parameter', 'from flask import Flask, request\nimport pymysql\napp = Flask(__name__)\n@app.get("/x")\ndef x(cursor):\n    cursor.execute(f"SELECT * FROM t LIMIT {request.args[\'n\']}")\n', []],
  ['asyncpg would reject text bound where the query had a number', 'from fastapi import FastAPI\nfrom sqlalchemy import text\napp = FastAPI()\n@app.get("/x")\nasync def x(n: str, db=None):\n    return await db.execute(text(f"SELECT * FROM t WHERE id = {n}"))\n', ['asyncpg']],
  ['mass assignment: a field read with .get() may be missing (None would replace a default)', 'from flask import Flask, request\nfrom .models import User\napp = Flask(__name__)\n@app.post("/u")\ndef u():\n    data = request.get_json()\n    if not data.get("email"):\n        return "no", 400\n    return User(**data)\n', ['flask-sqlalchemy']],
  ['mass assignment: no field of the body is read', 'from flask import Flask, request\nfrom .models import User\napp = Flask(__name__)\n@app.post("/u")\ndef u():\n    return User(**request.json)\n', ['flask-sqlalchemy']],
  ['mass assignment: the unpacked object is a call, not a name', 'from flask import Flask, request\nfrom .models import User\napp = Flask(__name__)\n@app.post("/u")\ndef u():\n    name = request.get_json()["name"]\n    return User(**request.get_json())\n', ['flask-sqlalchemy']],
  ['mass assignment: the write is in a helper other callers share', 'from flask import Flask, request\nfrom .models import User\napp = Flask(__name__)\ndef save(data):\n    return User(**data)\n@app.post("/u")\ndef u():\n    data = request.get_json()\n    print(data["name"])\n    return save(data)\n', ['flask-sqlalchemy']],
];

describe('input quick fixes for Python: none where they cannot be sure', () => {
  for (const [why, code, dependencies] of NO_FIX) {
    it(why, () => {
      const findings = inputFindings(code, 'app.py', dependencies);
      assert.equal(findings.length, 1, `expected one finding: ${JSON.stringify(findings.map((f) => f.message))}`);
      assert.deepEqual(editFixes(findings[0]).map((fix) => fix.title), []);
    });
  }

  it('the same code gets its fix once the reason is gone (controls)', () => {
    const withFix = (code: string, dependencies: string[] = []) => editFixes(inputFindings(code, 'app.py', dependencies)[0]).map((fix) => fix.title);
    assert.deepEqual(withFix(H + '    return db.execute(f"SELECT * FROM t WHERE a = \'{request.args[\'a\']}\'").fetchall()\n'), ['Pass the values as query parameters (?)']);
    const asyncpg = 'from fastapi import FastAPI\nfrom sqlalchemy import text\napp = FastAPI()\n@app.get("/x")\nasync def x(n: str, db=None):\n    return await db.execute(text(f"SELECT * FROM t WHERE id = {n}"))\n';
    assert.deepEqual(withFix(asyncpg), ['Pass the values as query parameters (:n)']);
    assert.deepEqual(withFix(asyncpg.replace('id = {n}', "name = '{n}'"), ['asyncpg']), ['Pass the values as query parameters (:n)']);
    const mass = 'from flask import Flask, request\nfrom .models import User\napp = Flask(__name__)\n@app.post("/u")\ndef u():\n    data = request.get_json()\n    if not data["email"]:\n        return "no", 400\n    return User(**data)\n';
    assert.deepEqual(withFix(mass, ['flask-sqlalchemy']), ['Save only the expected fields (email)']);
  });
});
