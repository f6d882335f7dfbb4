import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { builtinAnalyzer, repoRoot } from '../../helpers';
import { inputRuleData } from '../../../../server/src/engine/input/ruleData';
import { inputFindings, summarise } from './inputTestHelpers';

const REDIRECT = "import express from 'express';\nconst app = express();\napp.get('/out', (req, res) => {\n  const target = String(req.query.to);\n  checkTarget(target);\n  res.redirect(target);\n});\n";

describe('input analysis through Analyzer.analyzeFile', () => {
  it('validator names from .shipshape.json count as validation', () => {
    assert.deepEqual(inputFindings(REDIRECT, 'src/server.ts').map(summarise), ['input/open-redirect@6']);
    assert.deepEqual(inputFindings(REDIRECT, 'src/server.ts', [], { validators: ['checkTarget'] }), []);
    const middleware = "import express from 'express';\nconst app = express();\napp.post('/run', guardBody, (req, res) => {\n  res.redirect(req.body.next);\n});\n";
    assert.equal(inputFindings(middleware, 'src/server.ts').length, 1);
    assert.deepEqual(inputFindings(middleware, 'src/server.ts', [], { validators: ['guardBody'] }), []);
  });

  it('an inline suppression with a reason applies to input findings', () => {
    const text = REDIRECT.replace('  res.redirect(target);', '  // shipshape-ignore input/open-redirect: the target is checked by the proxy in front\n  res.redirect(target);');
    const findings = builtinAnalyzer().analyzeFile({ path: 'src/server.ts', text }).findings.filter((finding) => finding.category === 'input');
    assert.equal(findings.length, 1);
    assert.equal(findings[0].suppression?.kind, 'inline');
  });

  it('severity overrides and "off" apply to input rules and the input category', () => {
    const analyzer = builtinAnalyzer({ severityOverrides: { 'input/open-redirect': 'error' } });
    assert.equal(analyzer.analyzeFile({ path: 'src/server.ts', text: REDIRECT }).findings[0].severity, 'error');
    const off = builtinAnalyzer({ severityOverrides: { 'input/*': 'off' } });
    assert.deepEqual(off.analyzeFile({ path: 'src/server.ts', text: REDIRECT }).findings, []);
  });

  it('findings have fingerprints and plain objects only (adapters serialise them)', () => {
    const [finding] = builtinAnalyzer().analyzeFile({ path: 'src/server.ts', text: REDIRECT }).findings;
    assert.ok(finding.fingerprint);
    assert.doesNotThrow(() => JSON.stringify(finding));
    assert.deepEqual(JSON.parse(JSON.stringify(finding)).related[0].range.start.line, 3);
  });

  it('the sample app: the SQL and shell injections it was written with', () => {
    const app = path.join(repoRoot, 'test', 'fixtures', 'sample-app');
    const found: string[] = [];
    for (const file of ['src/routes/orders.ts', 'src/routes/users.ts', 'src/server.ts', 'src/lib/db.ts']) {
      const text = fs.readFileSync(path.join(app, file), 'utf8');
      for (const finding of inputFindings(text, file, ['express', 'pg', 'stripe'])) found.push(`${file}:${summarise(finding)}`);
    }
    assert.deepEqual(found, ['src/routes/orders.ts:input/sql-injection@8', 'src/routes/users.ts:input/command-injection@13']);
  });

  it('the tables\' regular expressions stay fast on long adversarial text', () => {
    const data = inputRuleData();
    const patterns: RegExp[] = [data.sqlText, data.databaseReceivers, data.parseMethods.receiverNot!, data.compilers.receiverNot!, data.middlewarePattern, data.predicateNames];
    for (const rule of data.rules) for (const sink of rule.sinks) for (const source of [sink.receiver, sink.receiverNot, sink.namePattern]) if (source) patterns.push(new RegExp(source));
    const inputs = ['select '.repeat(300), 'update '.repeat(300), 'where a '.repeat(250), `${'a.'.repeat(150)}!`, `${'x('.repeat(100)}`, 'from('.repeat(60) + ')'.repeat(60)];
    for (const pattern of patterns) {
      for (const input of inputs) {
        const started = Date.now();
        pattern.test(input.slice(0, 2000));
        assert.ok(Date.now() - started < 100, `${pattern} is slow on ${input.slice(0, 20)}…`);
      }
    }
  });

  it('handlers that only hand their request on, or destructure it, are still analysed (the text prefilter lets them through)', () => {
    const passOn = "import { NextRequest } from 'next/server';\nasync function load(r: NextRequest) {\n  const data = await r.json();\n  return db.query(`SELECT * FROM t WHERE id = ${data.id}`);\n}\nexport async function POST(request: NextRequest) { return load(request); }\n";
    assert.deepEqual(inputFindings(passOn, 'app/api/items/route.ts', ['next', 'pg']).map(summarise), ['input/sql-injection@4']);
    const destructured = "const Koa = require('koa');\nconst app = new Koa();\napp.use(async (ctx) => {\n  const { query } = ctx;\n  await db.query('SELECT * FROM t WHERE id = ' + query.id);\n});\n";
    assert.deepEqual(inputFindings(destructured, 'src/server.js', ['koa', 'pg']).map(summarise), ['input/sql-injection@5']);
  });

  it('follows the request object into a helper of the same file, whatever the helper calls it, without recursing forever', () => {
    const helper = "const express = require('express');\nconst router = express.Router();\nfunction save(input) {\n  return db.query('INSERT INTO notes VALUES (' + input.body.note + ')');\n}\nfunction walk(r, depth) {\n  if (depth > 0) walk(r, depth - 1);\n  return db.query('SELECT * FROM t WHERE q = ' + r.query.q);\n}\nrouter.post('/notes', (req, res) => save(req));\nrouter.get('/walk', (req, res) => walk(req, 3));\nrouter.post('/safe', (req, res) => save({ body: { note: 'fixed' } }));\nmodule.exports = router;\n";
    assert.deepEqual(inputFindings(helper, 'src/routes/notes.js', ['express']).map(summarise), ['input/sql-injection@4', 'input/sql-injection@8']);
  });

  it('library code that passes a request object to calls is not a handler', () => {
    const client = "export class TokenClient {\n  async acquire(scopes) {\n    const request = this.build(scopes);\n    const query = createTokenQuery(request, this.config);\n    return this.db.query('SELECT token FROM cache WHERE q = ' + query);\n  }\n}\n";
    assert.deepEqual(inputFindings(client, 'src/tokenClient.js', ['pg']).map(summarise), []);
  });
});
