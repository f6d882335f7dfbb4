import * as assert from 'node:assert/strict';
import type * as ts from 'typescript';
import { parseScript } from '../../../../server/src/engine/js/parseScript';
import { applyEdits, editFixes, inputFindings, readFixture } from './inputTestHelpers';
import { QUICK_FIX_CASES } from './quickFixCases';

function parseErrors(text: string, file: string): number {
  return (parseScript(file, text) as ts.SourceFile & { parseDiagnostics: unknown[] }).parseDiagnostics.length;
}

describe('input quick fixes: applied to their fixtures', () => {
  for (const fixCase of QUICK_FIX_CASES) {
    it(`${fixCase.fixture}:${fixCase.line} "${fixCase.title}" gives ${fixCase.expected}`, () => {
      const text = readFixture(`fixes/${fixCase.fixture}`);
      const findings = inputFindings(text, fixCase.file, fixCase.dependencies);
      const finding = findings.find((candidate) => candidate.ruleId === fixCase.rule && candidate.range.start.line + 1 === fixCase.line);
      assert.ok(finding, `no ${fixCase.rule} at line ${fixCase.line}: ${findings.map((f) => `${f.ruleId}@${f.range.start.line + 1}`).join(', ')}`);
      const fix = editFixes(finding).find((candidate) => candidate.title === fixCase.title);
      assert.ok(fix, `fixes offered: ${JSON.stringify(editFixes(finding).map((candidate) => candidate.title))}`);
      assert.equal(!!fix.preferred, fixCase.preferred);
      assert.equal(editFixes(finding).filter((candidate) => candidate.preferred).length, 1, 'exactly one preferred fix');

      const fixed = applyEdits(text, fix.edits);
      assert.equal(fixed, readFixture(`fixes/${fixCase.expected}`));
      assert.equal(parseErrors(fixed, fixCase.file), 0, 'the fixed code parses');
      const remaining = inputFindings(fixed, fixCase.file, fixCase.dependencies).filter((candidate) => candidate.ruleId === fixCase.rule);
      assert.equal(remaining.length, findings.filter((candidate) => candidate.ruleId === fixCase.rule).length - 1, 'the fix removes the finding');
    });
  }
});

/**
 * Where a rewrite could change what the program does, or the facts it needs are not in the
 * file, the finding stands and no edit is offered.
 */
const NO_FIX: [why: string, code: string, dependencies: string[], rule: string][] = [
  ['an identifier position (ORDER BY) cannot take a parameter', "import { pool } from './db';\nexport async function list(req, res) {\n  res.json(await pool.query(`SELECT * FROM t ORDER BY ${req.query.sort}`));\n}", ['pg'], 'input/sql-injection'],
  ['IN (…) with a list is not one parameter', "import { pool } from './db';\nexport async function list(req, res) {\n  res.json(await pool.query(`SELECT * FROM t WHERE id IN (${req.query.ids})`));\n}", ['pg'], 'input/sql-injection'],
  ['a table name is an identifier', "import { pool } from './db';\nexport async function drop(req, res) {\n  await pool.query(`DELETE FROM ${req.body.table} WHERE id = 1`);\n}", ['pg'], 'input/sql-injection'],
  ['double quotes may be an identifier', "import { db } from './db';\nexport async function find(req, res) {\n  res.json(await db.query(`SELECT * FROM t WHERE name = \"${req.query.n}\"`));\n}", ['mysql2'], 'input/sql-injection'],
  ['the driver is unknown', "import { db } from './db';\nexport async function find(req, res) {\n  res.json(await db.query(`SELECT * FROM t WHERE id = ${req.params.id}`));\n}", [], 'input/sql-injection'],
  ['two drivers could be meant', "import { db } from './db';\nexport async function find(req, res) {\n  res.json(await db.query(`SELECT * FROM t WHERE id = ${req.params.id}`));\n}", ['pg', 'mysql2'], 'input/sql-injection'],
  ['the values are passed in a variable', "import { pool } from './db';\nexport async function find(req, res) {\n  const params = [req.user.id];\n  res.json(await pool.query(`SELECT * FROM t WHERE owner = $1 AND id = ${req.params.id}`, params));\n}", ['pg'], 'input/sql-injection'],
  ['mysql2 execute() rejects LIMIT placeholders', "import { db } from './db';\nexport async function page(req, res) {\n  res.json(await db.execute(`SELECT * FROM t LIMIT ${req.query.n}`));\n}", ['mysql2'], 'input/sql-injection'],
  ['escape sequences would read differently in a value', "import { pool } from './db';\nexport async function find(req, res) {\n  res.json(await pool.query(`SELECT * FROM t WHERE a = '${req.query.a}\\\\n'`));\n}", ['pg'], 'input/sql-injection'],
  ['the SQL variable is used elsewhere too', "import { pool } from './db';\nexport async function find(req, res) {\n  const sql = `SELECT * FROM t WHERE id = ${req.params.id}`;\n  console.log(sql);\n  res.json(await pool.query(sql));\n}", ['pg'], 'input/sql-injection'],
  ['a concatenation that does not start as a string', "import { pool } from './db';\nexport async function find(req, res) {\n  res.json(await pool.query(base + req.query.where + ' LIMIT 1'));\n}\nconst base = 'SELECT * FROM t WHERE ';", ['pg'], 'input/sql-injection'],
  ['two interpolations glued into one value', "import { pool } from './db';\nexport async function find(req, res) {\n  res.json(await pool.query(`SELECT * FROM t WHERE code = ${req.query.a}${req.query.b}`));\n}", ['pg'], 'input/sql-injection'],
  ['sequelize.query takes its values differently', "import { sequelize } from './db';\nexport async function find(req, res) {\n  res.json(await sequelize.query(`SELECT * FROM t WHERE a = '${req.query.a}'`));\n}", ['sequelize', 'mysql2'], 'input/sql-injection'],
  ['Prisma: a constant table name would become a parameter', "import { prisma } from './db';\nconst TABLE = 'User';\nexport async function GET(request: Request) {\n  const id = new URL(request.url).searchParams.get('id');\n  return Response.json(await prisma.$queryRawUnsafe(`SELECT * FROM ${TABLE} WHERE id = ${id}`));\n}", ['@prisma/client'], 'input/sql-injection'],
  ['Prisma: numbered parameters already passed', "import { prisma } from './db';\nexport async function GET(request: Request) {\n  const id = new URL(request.url).searchParams.get('id');\n  return Response.json(await prisma.$queryRawUnsafe(`SELECT * FROM t WHERE a = $1 AND id = ${id}`, 1));\n}", ['@prisma/client'], 'input/sql-injection'],
  ['mass assignment: no field of the body is read', "import { User } from './models';\nexport async function create(req, res) {\n  res.json(await User.create(req.body));\n}", ['mongoose', 'zod'], 'input/mass-assignment'],
  ['mass assignment: only the where clause reads a field', "import { prisma } from './db';\nexport async function update(req, res) {\n  res.json(await prisma.user.update({ where: { id: req.body.id }, data: req.body }));\n}", ['zod'], 'input/mass-assignment'],
  ['mass assignment: the write is in a helper other callers share', "import { User } from './models';\nfunction save(data) {\n  return User.create(data);\n}\nexport async function create(req, res) {\n  const { name } = req.body;\n  res.json(await save(req.body));\n}", ['mongoose'], 'input/mass-assignment'],
  ['zod is not a dependency', "import { User } from './models';\nexport async function login(req, res) {\n  res.json(await User.findOne({ email: req.body.email }));\n}", ['mongoose'], 'input/nosql-injection'],
  ['z already means something else', "import z from './zebra';\nimport { User } from './models';\nexport async function login(req, res) {\n  res.json(await User.findOne({ email: req.body.email }));\n}", ['mongoose', 'zod'], 'input/nosql-injection'],
  ['the rest of the body is used too', "import { User } from './models';\nexport async function login(req, res) {\n  const { email, ...rest } = req.body;\n  console.log(rest);\n  res.json(await User.findOne({ email }));\n}", ['mongoose', 'zod'], 'input/nosql-injection'],
  ['the whole body is used elsewhere (a schema would strip it)', "import { User } from './models';\nexport async function login(req, res) {\n  await audit(req.body);\n  res.json(await User.findOne({ email: req.body.email }));\n}", ['mongoose', 'zod'], 'input/nosql-injection'],
];

describe('input quick fixes: none where they cannot be sure', () => {
  for (const [why, code, dependencies, rule] of NO_FIX) {
    it(why, () => {
      const findings = inputFindings(code, 'src/routes/handler.ts', dependencies).filter((finding) => finding.ruleId === rule);
      assert.equal(findings.length, 1, `expected one ${rule}: ${JSON.stringify(findings.map((f) => f.message))}`);
      assert.deepEqual(editFixes(findings[0]).map((fix) => fix.title), []);
    });
  }
});
