import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Finding } from '../../../../server/src/engine/types';
import { incomingFindings } from '../../../../server/src/engine/input/incomingFlows';
import { ModuleSinkCache } from '../../../../server/src/workspace/moduleSinkCache';
import { builtinAnalyzer } from '../../helpers';
import { applyEdits } from './inputTestHelpers';

/**
 * The other end of a flow across files: the module holding the query shows the handler's
 * problem at the query, worded from there, found again after edits, with the query's own fix.
 */

const ROOT = path.join(os.tmpdir(), 'shipshape-incoming-virtual');

const MODULE = "const { pool } = require('./pool');\nasync function getUser(id) {\n  const { rows } = await pool.query(`SELECT * FROM users WHERE id = '${id}'`);\n  return rows[0];\n}\nmodule.exports = { getUser };\n";
const POOL = "const { Pool } = require('pg');\nexports.pool = new Pool();\n";
const handler = (route: string, read: string) => `const express = require('express');
const users = require('./users');
const router = express.Router();
router.get('${route}', async (req, res) => {
  res.json(await users.getUser(${read}));
});
module.exports = router;
`;

const analyzer = builtinAnalyzer({ categories: new Set(['input']) });

/** The input findings of each handler, analysed against the module's text `module`. */
function handlerFindings(module: string, handlers: Record<string, string>): Finding[] {
  const files: Record<string, string> = { 'src/users.js': module, 'src/pool.js': POOL, ...handlers };
  const byAbsolute = new Map(Object.entries(files).map(([relative, text]) => [path.join(ROOT, relative), text]));
  const cache = new ModuleSinkCache({ stamp: (file) => (byAbsolute.has(file) ? 'v' : undefined), text: (file) => byAbsolute.get(file), dependencies: () => new Set(['express', 'pg']) });
  return Object.keys(handlers).flatMap((file) => analyzer.analyzeFile({
    path: file,
    text: files[file],
    dependencies: new Set(['express', 'pg']),
    importedModules: cache.resolverFor({ path: path.join(ROOT, file), relative: file }, analyzer),
  }).findings.filter((finding) => finding.category === 'input'));
}

describe('input across files: the module shows the input that reaches its query', () => {
  it('one finding at the query, worded from the module, pointing back at the handler, with the fix', () => {
    const reaching = handlerFindings(MODULE, { 'src/routes.js': handler('/users/:id', 'req.params.id') });
    assert.equal(reaching.length, 1);
    assert.equal(reaching[0].remoteSink?.file, 'src/users.js');
    const incoming = incomingFindings('src/users.js', MODULE, reaching);
    assert.equal(incoming.length, 1);
    const [finding] = incoming;
    assert.equal(finding.ruleId, 'input/sql-injection');
    assert.equal(finding.severity, 'error');
    assert.equal(finding.file, 'src/users.js');
    assert.equal(finding.range.start.line, 2);
    assert.match(MODULE.slice(finding.startOffset, finding.endOffset), /\$\{id\}/);
    assert.match(finding.message, /^The "id" part of the URL path \(req\.params\.id\) in src\/routes\.js:5, passed to getUser\(\), goes straight into this SQL query: /);
    assert.deepEqual(finding.related?.map((related) => [related.file, related.range.start.line]), [['src/routes.js', 4]]);
    const fix = finding.fixes?.find((hint) => hint.kind === 'edit');
    assert.ok(fix && fix.kind === 'edit', JSON.stringify(finding.fixes));
    assert.equal(fix.title, 'Pass the values as query parameters ($1)');
    // The fix rewrites the module's query, and the handler's finding goes.
    const fixed = applyEdits(MODULE, fix.edits);
    assert.match(fixed, /\$1/);
    assert.deepEqual(handlerFindings(fixed, { 'src/routes.js': handler('/users/:id', 'req.params.id') }), []);
  });

  it('several handlers reaching one query are one finding that names them all', () => {
    const reaching = handlerFindings(MODULE, {
      'src/routes.js': handler('/users/:id', 'req.params.id'),
      'src/admin.js': handler('/admin/users', 'req.query.id'),
    });
    assert.equal(reaching.length, 2);
    const incoming = incomingFindings('src/users.js', MODULE, reaching);
    assert.equal(incoming.length, 1);
    assert.match(incoming[0].message, /One more place passes request input to it too/);
    assert.deepEqual(incoming[0].related?.map((related) => related.file).sort(), ['src/admin.js', 'src/routes.js']);
  });

  it('follows the query when lines are added above it, and drops it when its code changed', () => {
    const reaching = handlerFindings(MODULE, { 'src/routes.js': handler('/users/:id', 'req.params.id') });
    const moved = `// users\n// data access\n${MODULE}`;
    const [finding] = incomingFindings('src/users.js', moved, reaching);
    assert.equal(finding.range.start.line, 4);
    assert.match(moved.slice(finding.startOffset, finding.endOffset), /\$\{id\}/);
    // The fix moved with it: applied to the moved text it still rewrites the query.
    const fix = finding.fixes?.find((hint) => hint.kind === 'edit');
    assert.ok(fix && fix.kind === 'edit');
    assert.ok(fix.target && fix.edits.every((edit, index) => moved.slice(edit.start, edit.end) === fix.target!.originals[index]));
    const edited = MODULE.replace("WHERE id = '${id}'", "WHERE uid = '${id}'");
    assert.deepEqual(incomingFindings('src/users.js', edited, reaching), []);
  });

  it('is not shown for another file, for suppressed findings, where the module reports it itself, or under a shipshape-ignore at the query', () => {
    const reaching = handlerFindings(MODULE, { 'src/routes.js': handler('/users/:id', 'req.params.id') });
    assert.deepEqual(incomingFindings('src/other.js', MODULE, reaching), []);
    assert.deepEqual(incomingFindings('src/users.js', MODULE, reaching.map((finding) => ({ ...finding, suppression: { kind: 'inline' as const, reason: 'checked' } }))), []);
    const [incoming] = incomingFindings('src/users.js', MODULE, reaching);
    assert.deepEqual(incomingFindings('src/users.js', MODULE, reaching, [{ ...incoming, properties: {} }]), []);
    // Written at the query, before the handler is analysed again.
    const ignored = MODULE.replace('  const { rows } = await pool.query(`SELECT', '  // shipshape-ignore input/sql-injection: ids are numeric here\n  const { rows } = await pool.query(`SELECT');
    assert.deepEqual(incomingFindings('src/users.js', ignored, reaching), []);
  });

  it('a shipshape-ignore at the query suppresses the handler finding too, with its reason', () => {
    const ignored = MODULE.replace('  const { rows } = await pool.query(`SELECT', '  // shipshape-ignore input/sql-injection: ids are numeric here\n  const { rows } = await pool.query(`SELECT');
    const [finding] = handlerFindings(ignored, { 'src/routes.js': handler('/users/:id', 'req.params.id') });
    assert.equal(finding.suppression?.kind, 'inline');
    assert.match(finding.suppression?.reason ?? '', /^ids are numeric here \(at the sink in src\/users\.js\)$/);
    // Another rule's ignore does not cover it.
    const otherRule = MODULE.replace('  const { rows } = await pool.query(`SELECT', '  // shipshape-ignore input/command-injection: not a shell\n  const { rows } = await pool.query(`SELECT');
    assert.equal(handlerFindings(otherRule, { 'src/routes.js': handler('/users/:id', 'req.params.id') })[0].suppression, undefined);
  });

  it('Python: the module shows the view that reaches its query', () => {
    const module = 'import sqlite3\n\ndef get_user(user_id):\n    conn = sqlite3.connect("app.db")\n    return conn.execute(f"SELECT * FROM users WHERE id = {user_id}").fetchone()\n';
    const view = 'from flask import Flask, request\nfrom . import db\napp = Flask(__name__)\n\n@app.get("/users")\ndef show():\n    return db.get_user(request.args["id"])\n';
    const files: Record<string, string> = { 'app/db.py': module, 'app/views.py': view };
    const byAbsolute = new Map(Object.entries(files).map(([relative, text]) => [path.join(ROOT, relative), text]));
    const cache = new ModuleSinkCache({ stamp: (file) => (byAbsolute.has(file) ? 'v' : undefined), text: (file) => byAbsolute.get(file), dependencies: () => new Set(['flask']) });
    const reaching = analyzer.analyzeFile({ path: 'app/views.py', text: view, dependencies: new Set(['flask']), importedModules: cache.resolverFor({ path: path.join(ROOT, 'app/views.py'), relative: 'app/views.py' }, analyzer) })
      .findings.filter((finding) => finding.category === 'input');
    assert.equal(reaching.length, 1, JSON.stringify(reaching));
    const [finding] = incomingFindings('app/db.py', module, reaching);
    assert.ok(finding);
    assert.equal(finding.range.start.line, 4);
    assert.match(finding.message, /in app\/views\.py:7, passed to get_user\(\), goes straight into this SQL query/);
  });
});
