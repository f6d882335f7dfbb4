import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { ParseCache } from '../../../../server/src/engine/js/parseCache';
import { defaultConfig } from '../../../../server/src/engine/config/shipshapeConfig';
import type { Finding } from '../../../../server/src/engine/types';
import { builtinAnalyzer } from '../../helpers';

/**
 * Re-analysis after an edit replays the results of unchanged top-level statements (see
 * input/incrementalFlow.ts): whatever the edit, the findings — ranges, messages, related
 * locations and fix edits included — must be those of a fresh analysis of the same text.
 */

const FILE = 'src/routes/shop.ts';
const DEPENDENCIES = new Set(['express', 'pg', 'zod', 'mongoose', 'express-validator']);

const ORIGINAL = `import express from 'express';
import { z } from 'zod';
import { body, validationResult } from 'express-validator';
import { exec } from 'node:child_process';
import { pool } from '../db';
import { User } from '../models/user';

const app = express();
const TABLE = 'orders';
let lastFilter = '';
const recent = { filter: '' };

function findRows(table: string, where: string) {
  return pool.query(\`SELECT * FROM \${table} WHERE \${where}\`);
}

const runReport = (name: string) => new Promise((resolve) => exec(\`./reports/\${name}.sh\`, resolve));

app.get('/search', async (req, res) => {
  const { q, sort } = req.query;
  const { rows } = await pool.query(\`SELECT * FROM products WHERE name ILIKE '%\${q}%' ORDER BY \${sort}\`);
  res.json(rows);
});

app.get('/orders', async (req, res) => {
  const sql = \`SELECT * FROM orders WHERE user_id = $1 AND status = '\${req.query.status}'\`;
  const result = await pool.query(sql, [req.user.id]);
  res.json(result.rows);
});

const PriceQuery = z.object({ min: z.coerce.number(), max: z.coerce.number() });

app.get('/by-price', async (req, res) => {
  const { min, max } = PriceQuery.parse(req.query);
  const { rows } = await pool.query(\`SELECT * FROM products WHERE price BETWEEN \${min} AND \${max}\`);
  res.json(rows);
});

app.post('/products', body('sku').isAlphanumeric(), async (req, res) => {
  const errors = validationResult(req);
  if (!errors.isEmpty()) return res.status(400).json({ errors: errors.array() });
  await pool.query(\`INSERT INTO products (sku) VALUES ('\${req.body.sku}')\`);
  await pool.query(\`UPDATE products SET name = '\${req.body.name}' WHERE sku = $1\`, [req.body.sku]);
  res.status(201).end();
});

app.get('/reports/:name', async (req, res) => {
  const rows = await findRows(TABLE, \`owner = '\${req.query.owner}'\`);
  await runReport(req.params.name);
  res.json(rows);
});

app.post('/users', async (req, res) => {
  const { name, email } = req.body;
  if (!name || !email) return res.status(400).json({ error: 'name and email are required' });
  const user = await User.create(req.body);
  res.status(201).json(user);
});

app.post('/login', async (req, res) => {
  const user = await User.findOne({ email: req.body.email, password: req.body.password });
  res.json({ ok: !!user });
});

app.get('/filter', (req, res) => {
  lastFilter = req.query.filter;
  res.end();
});

app.get('/recent', (req, res) => {
  recent.filter = req.query.filter;
  res.end();
});

app.get('/again', async (req, res) => {
  const { rows } = await pool.query(\`SELECT * FROM orders WHERE \${lastFilter}\`);
  await pool.query(\`SELECT * FROM orders WHERE \${recent.filter}\`);
  res.json(rows);
});

app.get('/audit', async (req, res) => {
  await audit(req.query.note);
  res.end();
});

const runSql = (sql: string) => pool.query(sql);

// Summarised at its first call, above, where runSql is not declared yet.
function audit(note: string) {
  return runSql(\`INSERT INTO audit VALUES ('\${note}')\`);
}

app.get('/audit-again', async (req, res) => {
  await audit(req.query.other);
  res.end();
});

app.get('/go', (req, res) => {
  res.redirect(req.query.back);
});

// Handed the whole request object.
function saveNote(input: any) {
  return pool.query(\`INSERT INTO notes VALUES ('\${input.body.note}')\`);
}

app.post('/notes', async (req, res) => {
  await saveNote(req);
  res.status(201).end();
});
`;

/** Edits applied one after another: [text to find, its replacement]. */
const EDITS: [string, string][] = [
  // Inside a handler, before and after other findings.
  ["  res.json(rows);\n});\n\napp.get('/orders'", "  res.json({ rows, count: rows.length });\n});\n\napp.get('/orders'"],
  ["res.redirect(req.query.back);", "res.redirect(req.query.back || '/');\n  await pool.query(`DELETE FROM carts WHERE id = ${req.query.cart}`);"],
  ["res.redirect(req.query.back || '/');", "res.redirect('/');"],
  // In a helper the handlers call.
  ['  return pool.query(`SELECT * FROM ${table} WHERE ${where}`);', '  return pool.query(`SELECT * FROM ${table} WHERE ${where} LIMIT 10`);'],
  ['  return pool.query(`SELECT * FROM ${table} WHERE ${where} LIMIT 10`);', "  return pool.query('SELECT 1', [table, where]);"],
  ["  return pool.query('SELECT 1', [table, where]);", '  return pool.query(`SELECT * FROM ${table} WHERE ${where}`);'],
  // Module-level code, and handlers that share it.
  ['  res.json(rows);\n});\n\napp.get(\'/audit\'', '  res.json({ rows });\n});\n\napp.get(\'/audit\''],
  ["  await audit(req.query.other);\n  res.end();", "  await audit(req.query.other);\n  res.status(204).end();"],
  ['  recent.filter = req.query.filter;\n', ''],
  ['  lastFilter = req.query.filter;\n', ''],
  ["  res.end();\n});\n\napp.get('/again'", "  lastFilter = req.query.filter;\n  res.end();\n});\n\napp.get('/again'"],
  ["  res.json({ rows });\n});\n\napp.get('/audit'", "  res.json(rows);\n});\n\napp.get('/audit'"],
  ["const TABLE = 'orders';", "const TABLE = 'orders';\nlet lastQuery = '';"],
  ['  const { q, sort } = req.query;', '  const { q, sort } = req.query;\n  lastQuery = q;'],
  ['  lastQuery = q;\n', ''],
  // Imports.
  ["import { z } from 'zod';\n", ''],
  ["import { exec } from 'node:child_process';", "import { exec } from 'node:child_process';\nimport { z } from 'zod';"],
  // Adding and removing a validator.
  ["app.get('/go', (req, res) => {", "const validateBack = (value: string) => /^\\/[a-z]*$/.test(value);\n\napp.get('/go', (req, res) => {\n  if (!validateBack(req.query.back)) return res.status(400).end();"],
  ['  if (!validateBack(req.query.back)) return res.status(400).end();\n', ''],
  ["  const { q, sort } = req.query;", "  const { q, sort } = z.object({ q: z.string().regex(/^\\w+$/), sort: z.enum(['name', 'price']) }).parse(req.query);"],
  ["  const user = await User.create(req.body);", "  const user = await User.create({ name, email });"],
  ["  const user = await User.create({ name, email });", "  const user = await User.create(req.body);"],
  // A handler added, moved code, a syntax error and its repair.
  ["app.get('/go'", "app.delete('/orders/:id', async (req, res) => {\n  await pool.query(`DELETE FROM orders WHERE id = ${req.params.id}`);\n  res.status(204).end();\n});\n\napp.get('/go'"],
  ["  res.json(result.rows);\n", "  res.json(result.rows;\n"],
  ["  res.json(result.rows;\n", "  res.json(result.rows);\n"],
  // A helper handed the request object: its sink changes, another caller is added.
  ["  return pool.query(`INSERT INTO notes VALUES ('${input.body.note}')`);", "  return pool.query('INSERT INTO notes VALUES ($1)', [input.body.note]);"],
  ["  return pool.query('INSERT INTO notes VALUES ($1)', [input.body.note]);", "  return pool.query(`INSERT INTO notes VALUES ('${input.body.note}')`);"],
  ['  await saveNote(req);', "  await saveNote(req);\n  await saveNote({ body: { note: 'fixed' } });"],
  // Edits of whitespace and comments only.
  ["app.get('/search'", "// Search\napp.get('/search'"],
  ['\n\n', '\n\n\n'],
];

/** Only imports, constants and handlers: its declarations are replayed too. */
const DECLARATIVE = `import express from 'express';
import { z } from 'zod';
import { exec } from 'node:child_process';
import { pool } from '../db';

const router = express.Router();
const UPLOAD_DIR = process.env.UPLOAD_DIR || '/var/uploads';
const limits = { page: 50, table: 'plans' };

router.get('/plans', async (req, res) => {
  const { rows } = await pool.query(\`SELECT * FROM \${limits.table} WHERE name = '\${req.query.q}'\`);
  res.json(rows);
});

const createSchema = z.object({
  name: z.string().min(1).max(200),
  notes: z.string().max(2000).optional(),
});

router.post('/plans', async (req, res) => {
  const body = createSchema.parse(req.body);
  await pool.query(\`INSERT INTO plans (name) VALUES ('\${body.name}')\`);
  await pool.query(\`INSERT INTO plans (notes) VALUES ('\${req.query.notes}')\`);
  res.status(201).end();
});

router.post('/export', async (req, res) => {
  exec(\`tar czf \${UPLOAD_DIR}/\${req.body.path}.tgz\`);
  res.json({ ok: true });
});

export default router;
`;

/** Edits of the declarative file: [text to find, its replacement]. */
const DECLARATIVE_EDITS: [string, string][] = [
  ['  res.json(rows);', '  res.json({ rows });'],
  ['  res.json({ ok: true });', '  res.json({ ok: true, at: Date.now() });'],
  // A handler writing to a module constant's object, and an alias of it.
  ["const limits = { page: 50, table: 'plans' };", "const limits = { page: 50, table: 'plans' };\nconst second = limits;"],
  ['  res.json({ rows });', '  limits.table = req.query.table;\n  res.json({ rows });'],
  ['  const body = createSchema.parse(req.body);', '  const body = createSchema.parse(req.body);\n  await pool.query(\`SELECT \${second.table} \${req.query.x}\`);'],
  ['  limits.table = req.query.table;\n', ''],
  ['  notes: z.string().max(2000).optional(),', '  notes: z.string().max(2000),'],
  // A helper constant (its summary carries a fix), moved by an edit above it, then called anew.
  ["const createSchema = z.object({", "const lookup = (id) => pool.query(\`SELECT * FROM plans WHERE id = \${id}\`);\n\nconst createSchema = z.object({"],
  ['  res.status(201).end();', '  await lookup(req.query.id);\n  res.status(201).end();'],
  ['  res.json({ rows });', '  res.json({ rows, n: 1 });'],
  ['  res.status(201).end();', '  res.status(201).json({});'],
  ['const lookup = (id) => pool.query(\`SELECT * FROM plans WHERE id = \${id}\`);\n', ''],
  // An alias of an import.
  ["const router = express.Router();", "const router = express.Router();\nconst db = pool;"],
  ["router.post('/export'", "router.get('/replica', async (req, res) => {\n  const conn = req.query.replica ? db : pool;\n  await conn.query(\`SELECT * FROM plans WHERE id = \${req.query.id}\`);\n  res.end();\n});\n\nrouter.post('/export'"],
  ['  res.json({ rows, n: 1 });', '  res.json(rows);'],
  ['  await conn.query(', '  await conn.query(\n    '],
  ['const db = pool;\n', ''],
  // Imports.
  ["import { exec } from 'node:child_process';\n", ''],
  ["const router = express.Router();", "import { exec } from 'node:child_process';\nconst router = express.Router();"],
  ['  res.json({ ok: true, at: Date.now() });', '  res.json({ ok: true });'],
];

function analyze(text: string, parseCache?: ParseCache, validators: string[] = []): Finding[] {
  const analyzer = builtinAnalyzer({ config: { ...defaultConfig(), validators } });
  return analyzer.analyzeFile({ path: FILE, text, dependencies: DEPENDENCIES, parseCache }).findings.filter((finding) => finding.category === 'input');
}

describe('input analysis after edits (incremental re-analysis)', function () {
  this.timeout(120_000);

  it('finds in the original what a fresh analysis finds, and something to compare', () => {
    const cache = new ParseCache();
    const findings = analyze(ORIGINAL, cache);
    assert.ok(findings.length >= 8, `expected the fixture's findings, got ${findings.length}`);
    assert.ok(findings.some((finding) => finding.fixes?.some((fix) => fix.kind === 'edit' && fix.title.includes('query parameters'))), 'a SQL parameterisation fix');
    assert.deepEqual(analyze(ORIGINAL, cache), findings);
  });

  /** Applies the edits one after the other through one cache, comparing each result with a fresh analysis. */
  const assertEditsMatchFresh = (original: string, edits: readonly (readonly [string, string])[], minimumFindings = 0): void => {
    const cache = new ParseCache();
    let text = original;
    assert.ok(analyze(text, cache).length >= minimumFindings);
    for (const [find, replace] of edits) {
      assert.ok(text.includes(find), `edit target missing: ${find}`);
      text = text.replace(find, replace);
      assert.deepEqual(analyze(text, cache), analyze(text), `after replacing ${JSON.stringify(find)}`);
    }
  };

  it('gives the findings of a fresh analysis after each of a sequence of edits', () => {
    assertEditsMatchFresh(ORIGINAL, EDITS);
  });

  it('gives the findings of a fresh analysis after edits of a file of declarations and handlers', () => {
    assertEditsMatchFresh(DECLARATIVE, DECLARATIVE_EDITS, 3);
  });

  it('gives the findings of a fresh analysis after edits below classes of the file (instances, constructors, fields)', () => {
    const classes = [
      "import express from 'express';",
      "import { Pool } from 'pg';",
      'const pool = new Pool();',
      'class Draft {',
      "  constructor(title, body = '') {",
      '    this.title = title;',
      '    this.body = body;',
      '  }',
      '  save() { return pool.query(`INSERT INTO drafts(title) VALUES (${this.title})`); }',
      '  find(term) { return pool.query(`SELECT * FROM drafts WHERE title = ${term}`); }',
      '}',
      'const drafts = new Draft("seed");',
      'const app = express();',
      "app.post('/drafts', async (req, res) => {",
      "  const draft = new Draft(req.body.title, 'fixed');",
      '  await pool.query(`INSERT INTO drafts(title) VALUES (${draft.title})`);',
      '  res.json(await drafts.find(req.query.q));',
      '});',
      '',
    ].join('\n');
    assertEditsMatchFresh(classes, [
      ["'fixed'", "'changed'"],
      ['res.json(await drafts.find(req.query.q));', 'res.json(await drafts.find(String(req.query.q)));'],
      ['String(req.query.q)', 'req.query.q'],
      ['const app = express();', 'const app = express();\nconst other = 1;'],
    ], 2);
  });

  it('follows a change of the configured validators', () => {
    const cache = new ParseCache();
    const text = ORIGINAL.replace('const { rows } = await pool.query(`SELECT * FROM products WHERE name', 'checkSearch(req.query);\n  const { rows } = await pool.query(`SELECT * FROM products WHERE name');
    analyze(text, cache);
    assert.deepEqual(analyze(text, cache, ['checkSearch']), analyze(text, undefined, ['checkSearch']));
    assert.deepEqual(analyze(text, cache), analyze(text));
  });

  it('gives the findings of a fresh analysis after any edit', () => {
    const inserts = ['', 'x', ')', '{', '\n', '`', "'", ' req.body ', 'lastQuery = req.query.q;', 'let lastQuery;\n', 'limits.page = req.query.page;', 'const copy = limits;\n', 'copy.table', 'UPLOAD_DIR', 'db.query(copy.table + req.query.t);', '\nfunction helper(a) { return pool.query(`SELECT ${a}`); }\n', 'helper(req.query.x);', "app.get('/y', async (req, res) => { await pool.query(`SELECT ${req.query.y}`); });\n"];
    fc.assert(
      fc.property(fc.boolean(), fc.array(fc.tuple(fc.nat(), fc.nat(40), fc.constantFrom(...inserts)), { minLength: 1, maxLength: 6 }), (declarative, edits) => {
        const cache = new ParseCache();
        let text = declarative ? DECLARATIVE : ORIGINAL;
        analyze(text, cache);
        for (const [at, length, insert] of edits) {
          const start = at % (text.length + 1);
          text = text.slice(0, start) + insert + text.slice(Math.min(text.length, start + length));
          assert.deepEqual(analyze(text, cache), analyze(text));
        }
      }),
      { numRuns: 200 },
    );
  });
});
