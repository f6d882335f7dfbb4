import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { Analyzer } from '../../../../server/src/engine/analyzer';
import type { Finding } from '../../../../server/src/engine/types';
import { ModuleSinkCache, type ModuleSource } from '../../../../server/src/workspace/moduleSinkCache';
import { ParseCache } from '../../../../server/src/engine/js/parseCache';
import { builtinAnalyzer, repoRoot } from '../../helpers';
import { applyEdits, inputFixturesDirectory, summarise } from './inputTestHelpers';

/**
 * Request input a handler passes to a function of another file (`db.getUser(req.params.id)`,
 * the query built in db/users.js): reported at the call, with the sink in the other file as
 * related information, through any way of exporting and importing, and through modules that
 * call modules.
 */

const ROOT = path.join(os.tmpdir(), 'shipshape-cross-file-virtual');

/** Files in memory, as the server's open documents are: a version per file. */
function memory(files: Record<string, string>): ModuleSource & { files: Record<string, string>; versions: Map<string, number> } {
  const versions = new Map<string, number>();
  const absolute = (relative: string) => path.join(ROOT, relative);
  const byAbsolute = () => new Map(Object.entries(source.files).map(([relative, text]) => [absolute(relative), text]));
  const source = {
    files,
    versions,
    stamp: (file: string) => (byAbsolute().has(file) ? `v${versions.get(file) ?? 0}` : undefined),
    text: (file: string) => byAbsolute().get(file),
    dependencies: () => new Set(['express', 'pg']),
  };
  return source;
}

function analyse(analyzer: Analyzer, cache: ModuleSinkCache, source: ReturnType<typeof memory>, file: string, options: { used?: Set<string>; parseCache?: ParseCache } = {}): Finding[] {
  const result = analyzer.analyzeFile({
    path: file,
    text: source.files[file],
    dependencies: new Set(['express', 'pg']),
    importedModules: cache.resolverFor({ path: path.join(ROOT, file), relative: file }, analyzer, options.used),
    ...(options.parseCache ? { parseCache: options.parseCache } : {}),
  });
  if (result.failures) throw new Error(JSON.stringify(result.failures));
  return result.findings.filter((finding) => finding.category === 'input');
}

const HANDLER = `const express = require('express');
const users = require('./users');
const router = express.Router();
router.get('/users/:id', async (req, res) => {
  res.json(await users.getUser(req.params.id));
});
module.exports = router;
`;

describe('input across files: a handler passes request input to another module', () => {
  const analyzer = builtinAnalyzer({ categories: new Set(['input']) });

  it('reports at the call, names the other file, and points at its sink', () => {
    const source = memory({
      'src/routes.js': HANDLER,
      'src/users.js': "const { pool } = require('./pool');\nasync function getUser(id) {\n  const { rows } = await pool.query(`SELECT * FROM users WHERE id = '${id}'`);\n  return rows[0];\n}\nmodule.exports = { getUser };\n",
      'src/pool.js': "const { Pool } = require('pg');\nexports.pool = new Pool();\n",
    });
    const findings = analyse(analyzer, new ModuleSinkCache(source), source, 'src/routes.js');
    assert.deepEqual(findings.map(summarise), ['input/sql-injection@5']);
    const [finding] = findings;
    assert.match(finding.message, /^The "id" part of the URL path \(req\.params\.id\), passed to getUser\(\), goes straight into a SQL query in src\/users\.js:3: /);
    assert.equal(HANDLER.slice(finding.startOffset, finding.endOffset), 'req.params.id');
    const remote = finding.related?.find((related) => related.file === 'src/users.js');
    assert.ok(remote, JSON.stringify(finding.related));
    assert.equal(remote.range.start.line, 2);
    // The fix is where the query is: an edit of src/users.js, which makes the handler's finding go.
    const fix = finding.fixes?.find((hint) => hint.kind === 'edit' && hint.title.startsWith('Pass the values as query parameters'));
    assert.ok(fix && fix.kind === 'edit', JSON.stringify(finding.fixes));
    assert.match(fix.title, / \(in src\/users\.js\)$/);
    assert.equal(fix.target?.file, 'src/users.js');
    const module = source.files['src/users.js'];
    assert.deepEqual(fix.target?.originals, fix.edits.map((edit) => module.slice(edit.start, edit.end)));
    source.files['src/users.js'] = applyEdits(module, fix.edits);
    assert.match(source.files['src/users.js'], /pool\.query\(`SELECT \* FROM users WHERE id = \$1`, \[id\]\)/);
    source.versions.set(path.join(ROOT, 'src/users.js'), 1);
    assert.deepEqual(analyse(analyzer, new ModuleSinkCache(source), source, 'src/routes.js').map(summarise), []);
  });

  // Each way of exporting, with the import that reaches it; the sink is in src/lib.* (line 3).
  const SINK = "const { execSync } = require('node:child_process');\n// run a program\n";
  const EXPORTS: [label: string, files: Record<string, string>, call: string][] = [
    ['CommonJS object of functions', { 'src/lib.js': `${SINK}function run(command) { return execSync(command); }\nmodule.exports = { run };\n` }, "const lib = require('./lib');\nlib.run"],
    ['exports.name = function', { 'src/lib.js': `${SINK}exports.run = function (command) { return execSync(command); };\n` }, "const { run } = require('./lib');\nrun"],
    ['module.exports = function', { 'src/lib.js': `${SINK}module.exports = (command) => execSync(command);\n` }, "const run = require('./lib');\nrun"],
    ['export function, named import', { 'src/lib.ts': `import { execSync } from 'node:child_process';\n// run a program\nexport function run(command: string) { return execSync(command); }\n` }, "import { run } from './lib';\nrun"],
    ['export const arrow, namespace import', { 'src/lib.ts': `import { execSync } from 'node:child_process';\n// run a program\nexport const run = (command: string) => execSync(command);\n` }, "import * as lib from './lib';\nlib.run"],
    ['export { local as name }', { 'src/lib.ts': `import { execSync } from 'node:child_process';\n// run a program\nfunction shell(command: string) { return execSync(command); }\nexport { shell as run };\n` }, "import { run } from './lib';\nrun"],
    ['export default function, default import', { 'src/lib.ts': `import { execSync } from 'node:child_process';\n// run a program\nexport default function run(command: string) { return execSync(command); }\n` }, "import run from './lib';\nrun"],
    ['export default object, default import', { 'src/lib.ts': `import { execSync } from 'node:child_process';\n// run a program\nexport default { run(command: string) { return execSync(command); } };\n` }, "import lib from './lib';\nlib.run"],
    ['exported object of functions', { 'src/lib.ts': `import { execSync } from 'node:child_process';\n// run a program\nexport const shell = { run: (command: string) => execSync(command) };\n` }, "import { shell } from './lib';\nshell.run"],
    ['ES module imported as .js (TypeScript output name)', { 'src/lib.ts': `import { execSync } from 'node:child_process';\n// run a program\nexport function run(command: string) { return execSync(command); }\n` }, "import { run } from './lib.js';\nrun"],
    ['an instance of an exported class', { 'src/lib.ts': `import { execSync } from 'node:child_process';\n// run a program\nexport class Shell { run(command: string) { return execSync(command); } }\n` }, "import { Shell } from './lib'; const shell = new Shell();\nshell.run"],
    ['an instance of a class exported as module.exports', { 'src/lib.js': `${SINK}module.exports = class Shell { run(command) { return execSync(command); } };\n` }, "const Shell = require('./lib'); const shell = new Shell();\nshell.run"],
    ['a class exported as exports.Name', { 'src/lib.js': `${SINK}exports.Shell = class Shell { run(command) { return execSync(command); } };\n` }, "const { Shell } = require('./lib'); const shell = new Shell();\nshell.run"],
    ['an exported instance (a singleton service)', { 'src/lib.ts': `import { execSync } from 'node:child_process';\n// run a program\nclass Shell { run(command: string) { return execSync(command); } }\nexport default new Shell();\n` }, "import shell from './lib';\nshell.run"],
    ['a barrel file (export * from)', { 'src/lib/index.ts': "export * from './shell';\n", 'src/lib/shell.ts': `import { execSync } from 'node:child_process';\n// run a program\nexport function run(command: string) { return execSync(command); }\n` }, "import { run } from './lib';\nrun"],
    ['a barrel file (export { … as … } from)', { 'src/lib/index.ts': "export { shell as run } from './shell';\n", 'src/lib/shell.ts': `import { execSync } from 'node:child_process';\n// run a program\nexport function shell(command: string) { return execSync(command); }\n` }, "import { run } from './lib';\nrun"],
    ['a barrel file (export * as namespace from)', { 'src/lib/index.ts': "export * as tools from './shell';\n", 'src/lib/shell.ts': `import { execSync } from 'node:child_process';\n// run a program\nexport function run(command: string) { return execSync(command); }\n` }, "import { tools } from './lib';\ntools.run"],
    ['a folder\'s index', { 'src/lib/index.ts': `import { execSync } from 'node:child_process';\n// run a program\nexport function run(command: string) { return execSync(command); }\n` }, "import { run } from './lib';\nrun"],
  ];
  for (const [label, files, call] of EXPORTS) {
    it(`follows input into ${label}`, () => {
      const [importLine, callee] = call.split('\n');
      const handler = `const express = require('express');\n${importLine}\nconst app = express();\napp.post('/run', (req, res) => {\n  res.send(String(${callee}(req.body.command)));\n});\n`;
      const source = memory({ 'src/app.js': handler, ...files });
      const findings = analyse(analyzer, new ModuleSinkCache(source), source, 'src/app.js');
      assert.deepEqual(findings.map(summarise), ['input/command-injection@5'], label);
      // The sink is in the file that defines the function (for a barrel, the file it re-exports).
      const module = Object.keys(files).find((file) => files[file].includes('execSync'));
      assert.deepEqual(findings[0].related?.filter((related) => related.file !== 'src/app.js').map((related) => `${related.file}:${related.range.start.line + 1}`), [`${module}:3`], label);
    });
  }

  const DB = "const { pool } = require('./pool');\n";
  const POOL = { 'src/pool.js': "const { Pool } = require('pg');\nexports.pool = new Pool();\n" };
  const NOT_REPORTED: [label: string, handlerCall: string, module: string][] = [
    ['a parameterised query', 'users.getUser(req.params.id)', `${DB}exports.getUser = (id) => pool.query('SELECT * FROM users WHERE id = $1', [id]);\n`],
    ['input made a number before the call', 'users.getUser(Number(req.params.id))', `${DB}exports.getUser = (id) => pool.query('SELECT * FROM users WHERE id = ' + id);\n`],
    ['input checked inside the module', 'users.getUser(req.params.id)', `${DB}exports.getUser = (id) => {\n  if (!/^[0-9]+$/.test(id)) throw new Error('bad id');\n  return pool.query('SELECT * FROM users WHERE id = ' + id);\n};\n`],
    ['a function the module does not export', 'users.getUser(req.params.id)', `${DB}function getUser(id) { return pool.query('SELECT * FROM users WHERE id = ' + id); }\nexports.other = () => getUser('1');\n`],
    ['a module that is not there', 'missing.getUser(req.params.id)', `${DB}\n`],
    ['constant arguments', "users.getUser('me')", `${DB}exports.getUser = (id) => pool.query('SELECT * FROM users WHERE id = ' + id);\n`],
  ];
  for (const [label, handlerCall, module] of NOT_REPORTED) {
    it(`reports nothing for ${label}`, () => {
      const handler = `const express = require('express');\nconst users = require('./users');\nconst missing = require('./missing');\nconst app = express();\napp.get('/users/:id', async (req, res) => {\n  res.json(await ${handlerCall});\n});\n`;
      const source = memory({ 'src/app.js': handler, 'src/users.js': module, ...POOL });
      assert.deepEqual(analyse(analyzer, new ModuleSinkCache(source), source, 'src/app.js').map(summarise), [], label);
      // The same query with input in it is reported (the table's rows differ only where they say).
      const positive = memory({ 'src/app.js': handler.replace(handlerCall, 'users.getUser(req.params.id)'), 'src/users.js': `${DB}exports.getUser = (id) => pool.query('SELECT * FROM users WHERE id = ' + id);\n`, ...POOL });
      assert.deepEqual(analyse(analyzer, new ModuleSinkCache(positive), positive, 'src/app.js').map(summarise), ['input/sql-injection@6'], label);
    });
  }

  const HELPERS: [label: string, handler: string][] = [
    ['declared before the handler', "const users = require('./users');\nfunction load(id) { return users.getUser(id); }\nrequire('express')().get('/u/:id', async (req, res) => res.json(await load(req.params.id)));\n"],
    ['declared after the handler', "const users = require('./users');\nrequire('express')().get('/u/:id', async (req, res) => res.json(await load(req.params.id)));\nfunction load(id) { return users.getUser(id); }\n"],
    ['two helpers deep', "const users = require('./users');\nconst find = (id) => users.getUser(id);\nconst load = (id) => find(id);\nrequire('express')().get('/u/:id', async (req, res) => res.json(await load(req.params.id)));\n"],
  ];
  for (const [label, handler] of HELPERS) {
    it(`follows input through a helper of the handler's file into a module: ${label}`, () => {
      const source = memory({ 'src/app.js': handler, 'src/users.js': "const { pool } = require('./pool');\nexports.getUser = (id) => pool.query('SELECT * FROM users WHERE id = ' + id);\n", ...POOL });
      const findings = analyse(analyzer, new ModuleSinkCache(source), source, 'src/app.js');
      assert.equal(findings.length, 1, label);
      assert.equal(findings[0].ruleId, 'input/sql-injection');
      assert.ok(findings[0].related?.some((related) => related.file === 'src/users.js' && related.range.start.line === 1), label);
    });
  }

  it('reads no module for calls that carry no request input (a client library\'s helpers)', () => {
    const source = memory({
      'src/client.js': "const util = require('./util');\nclass Cache {\n  put(request, response) { return util.store(request.url, response.body); }\n}\nfunction key(name) { return util.normalise(name); }\nmodule.exports = { Cache, key };\n",
      'src/util.js': "exports.store = (url, body) => url + body;\nexports.normalise = (name) => name.trim();\n",
    });
    const used = new Set<string>();
    analyse(analyzer, new ModuleSinkCache(source), source, 'src/client.js', { used });
    assert.deepEqual([...used], []);
  });

  it('follows a request object handed whole to another module, which reads its fields', () => {
    const handler = "const express = require('express');\nconst users = require('./users');\nconst app = express();\napp.post('/users', async (req, res) => {\n  res.json(await users.create(req));\n});\n";
    const source = memory({ 'src/app.js': handler, 'src/users.js': "const { pool } = require('./pool');\nexports.create = (input) => {\n  const { name } = input.body;\n  return pool.query(`INSERT INTO users (name) VALUES ('${name}')`);\n};\n", ...POOL });
    const findings = analyse(analyzer, new ModuleSinkCache(source), source, 'src/app.js');
    assert.deepEqual(findings.map(summarise), ['input/sql-injection@5']);
    assert.match(findings[0].message, /^The "name" field of the request body \(req\.body\.name\), passed to create\(\), goes straight into a SQL query in src\/users\.js:4: /);
  });

  it('follows input through a tsconfig path alias (@/lib/…) in a Next.js route handler', () => {
    const route = "import { NextResponse } from 'next/server';\nimport { findOrders } from '@/lib/orders';\n\nexport async function GET(request: Request) {\n  const status = new URL(request.url).searchParams.get('status');\n  return NextResponse.json(await findOrders(status));\n}\n";
    const source = memory({
      'tsconfig.json': '{ "compilerOptions": { "paths": { "@/*": ["./src/*"] } } }',
      'src/app/api/orders/route.ts': route,
      'src/lib/orders.ts': "import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function findOrders(status: string | null) {\n  return (await pool.query(`SELECT * FROM orders WHERE status = '${status}'`)).rows;\n}\n",
    });
    const file = 'src/app/api/orders/route.ts';
    const result = analyzer.analyzeFile({ path: file, text: route, dependencies: new Set(['next', 'pg']), importedModules: new ModuleSinkCache(source).resolverFor({ path: path.join(ROOT, file), relative: file }, analyzer) });
    const findings = result.findings.filter((finding) => finding.category === 'input');
    assert.deepEqual(findings.map(summarise), ['input/sql-injection@6']);
    assert.ok(findings[0].related?.some((related) => related.file === 'src/lib/orders.ts' && related.range.start.line === 3), JSON.stringify(findings[0].related));
  });

  it('follows a NestJS controller into the service it has injected', () => {
    const controller = "import { Controller, Get, Param } from '@nestjs/common';\nimport { UsersService } from './users.service';\n\n@Controller('users')\nexport class UsersController {\n  constructor(private readonly usersService: UsersService) {}\n\n  @Get(':id')\n  findOne(@Param('id') id: string) {\n    return this.usersService.findOne(id);\n  }\n}\n";
    const service = "import { Injectable } from '@nestjs/common';\nimport { Pool } from 'pg';\n\nconst pool = new Pool();\n\n@Injectable()\nexport class UsersService {\n  findOne(id: string) {\n    return pool.query(`SELECT * FROM users WHERE id = ${id}`);\n  }\n}\n";
    const source = memory({ 'src/users.controller.ts': controller, 'src/users.service.ts': service });
    const result = analyzer.analyzeFile({ path: 'src/users.controller.ts', text: controller, dependencies: new Set(['@nestjs/common', 'pg']), importedModules: new ModuleSinkCache(source).resolverFor({ path: path.join(ROOT, 'src/users.controller.ts'), relative: 'src/users.controller.ts' }, analyzer) });
    const findings = result.findings.filter((finding) => finding.category === 'input');
    assert.deepEqual(findings.map(summarise), ['input/sql-injection@10']);
    assert.ok(findings[0].related?.some((related) => related.file === 'src/users.service.ts' && related.range.start.line === 8));
    // Without the injection (a parameter that is not a property), `this.usersService` is unknown: nothing is guessed.
    const plain = controller.replace('private readonly usersService', 'usersService');
    const none = analyzer.analyzeFile({ path: 'src/users.controller.ts', text: plain, dependencies: new Set(['@nestjs/common', 'pg']), importedModules: new ModuleSinkCache(source).resolverFor({ path: path.join(ROOT, 'src/users.controller.ts'), relative: 'src/users.controller.ts' }, analyzer) });
    assert.deepEqual(none.findings.filter((finding) => finding.category === 'input').map(summarise), []);
  });

  it('follows input into a method of a class instantiated in the same file', () => {
    const text = "const { execSync } = require('node:child_process');\nclass Shell {\n  run(command) { return execSync(command); }\n}\nconst shell = new Shell();\nrequire('express')().post('/run', (req, res) => res.send(String(shell.run(req.body.command))));\n";
    const findings = analyzer.analyzeFile({ path: 'src/app.js', text, dependencies: new Set(['express']) }).findings.filter((finding) => finding.category === 'input');
    assert.deepEqual(findings.map(summarise), ['input/command-injection@3']);
  });

  // A class of the handler's file that keeps an instance of a workspace class: set in its constructor or as a field.
  const KEPT_INSTANCES: [label: string, classText: string][] = [
    ['set on this in the constructor', "class Api {\n  constructor() {\n    this.shell = new Shell();\n  }\n  run(command) { return this.shell.run(command); }\n}\n"],
    ['set on this in a constructor written after the method', "class Api {\n  run(command) { return this.shell.run(command); }\n  constructor() {\n    this.shell = new Shell();\n  }\n}\n"],
    ['a field initialised with new', "class Api {\n  shell = new Shell();\n  run(command) { return this.shell.run(command); }\n}\n"],
  ];
  for (const [label, classText] of KEPT_INSTANCES) {
    it(`follows input through an instance of another module's class kept in an object: ${label}`, () => {
      const handler = `const express = require('express');\nconst { Shell } = require('./lib');\n${classText}const api = new Api();\nexpress().post('/run', (req, res) => res.send(String(api.run(req.body.command))));\n`;
      const source = memory({ 'src/app.js': handler, 'src/lib.ts': `import { execSync } from 'node:child_process';\n// run a program\nexport class Shell { run(command: string) { return execSync(command); } }\n` });
      const findings = analyse(analyzer, new ModuleSinkCache(source), source, 'src/app.js');
      assert.equal(findings.length, 1, label);
      assert.equal(findings[0].remoteSink?.file, 'src/lib.ts', label);
      assert.match(handler.slice(findings[0].startOffset, findings[0].endOffset), /^command$/, label);
    });
  }

  it('an object of the handler\'s file that keeps a string, not an instance, gives nothing', () => {
    const handler = "const express = require('express');\nconst { Shell } = require('./lib');\nclass Api {\n  constructor() {\n    this.shell = 'sh';\n  }\n  run(command) { return this.shell.run(command); }\n}\nconst api = new Api();\nexpress().post('/run', (req, res) => res.send(String(api.run(req.body.command))));\n";
    const source = memory({ 'src/app.js': handler, 'src/lib.ts': `import { execSync } from 'node:child_process';\n// run a program\nexport class Shell { run(command: string) { return execSync(command); } }\n` });
    assert.deepEqual(analyse(analyzer, new ModuleSinkCache(source), source, 'src/app.js'), []);
  });

  it('an instance of a class of the file carries what its constructor set from the arguments', () => {
    const text = "const express = require('express');\nconst { Pool } = require('pg');\nconst pool = new Pool();\nclass Draft {\n  constructor(title, body = '') {\n    this.title = title;\n    this.body = body;\n  }\n}\nexpress().post('/drafts', async (req, res) => {\n  const draft = new Draft(req.body.title, 'fixed');\n  await pool.query(`INSERT INTO drafts(title) VALUES ('${draft.title}')`);\n  await pool.query(`INSERT INTO drafts(body) VALUES ('${draft.body}')`);\n  res.end();\n});\n";
    const findings = analyzer.analyzeFile({ path: 'src/app.js', text, dependencies: new Set(['express', 'pg']) }).findings.filter((finding) => finding.category === 'input');
    assert.deepEqual(findings.map(summarise), ['input/sql-injection@12']);
    assert.match(findings[0].message, /req\.body\.title\), passed to Draft\(\),/);
  });

  it('carries input back out of a module (a path built there) to a sink in the handler', () => {
    const source = memory({
      'src/app.js': "const express = require('express');\nconst { reportPath } = require('./paths');\nconst app = express();\napp.get('/reports', (req, res) => {\n  res.sendFile(reportPath(req.query.name));\n});\n",
      'src/paths.js': "const path = require('node:path');\nexports.reportPath = (name) => path.join('/srv/reports', name.trim() + '.pdf');\nexports.fixedPath = (name) => path.join('/srv/reports', path.basename(name));\n",
    });
    const cache = new ModuleSinkCache(source);
    assert.deepEqual(analyse(analyzer, cache, source, 'src/app.js').map(summarise), ['input/path-traversal@5']);
    source.files['src/app.js'] = source.files['src/app.js'].replace('reportPath(req', 'fixedPath(req').replace('{ reportPath }', '{ fixedPath }');
    assert.deepEqual(analyse(analyzer, cache, source, 'src/app.js').map(summarise), []);
  });

  it('follows modules that call modules, and stops at an import cycle', () => {
    const source = memory({
      'src/app.js': "const express = require('express');\nconst { report } = require('./service');\nconst app = express();\napp.post('/report', (req, res) => {\n  res.json(report(req.body.kind));\n});\n",
      'src/service.js': "const { run } = require('./shell');\nconst { loop } = require('./cycle');\nexports.report = (kind) => run(`report --kind ${kind}`) + loop(kind);\n",
      'src/shell.js': "const { execSync } = require('node:child_process');\nexports.run = (command) => execSync(command).toString();\n",
      'src/cycle.js': "const service = require('./service');\nexports.loop = (kind) => service.report(kind);\n",
    });
    const used = new Set<string>();
    const findings = analyse(analyzer, new ModuleSinkCache(source), source, 'src/app.js', { used });
    assert.deepEqual(findings.map(summarise), ['input/command-injection@5']);
    assert.match(findings[0].message, /passed to report\(\), goes straight into a shell command in src\/shell\.js:2: /);
    assert.deepEqual([...used].map((file) => path.relative(ROOT, file)).sort(), ['src/service.js']);
  });

  it('sees a module change, and a change in a module that module imports, even when the handler is unchanged', () => {
    const source = memory({
      'src/routes.js': HANDLER,
      'src/users.js': "const { pool } = require('./pool');\nexports.getUser = (id) => pool.query('SELECT * FROM users WHERE id = $1', [id]);\n",
      ...POOL,
    });
    const cache = new ModuleSinkCache(source);
    // An editor's analysis keeps per-statement results between versions of the handler.
    const parseCache = new ParseCache();
    const bump = (file: string) => source.versions.set(path.join(ROOT, file), (source.versions.get(path.join(ROOT, file)) ?? 0) + 1);
    assert.deepEqual(analyse(analyzer, cache, source, 'src/routes.js', { parseCache }).map(summarise), []);
    source.files['src/users.js'] = "const { pool } = require('./pool');\nexports.getUser = (id) => pool.query(`SELECT * FROM users WHERE id = ${id}`);\n";
    bump('src/users.js');
    assert.deepEqual(analyse(analyzer, cache, source, 'src/routes.js', { parseCache }).map(summarise), ['input/sql-injection@5']);
    // The module now passes the id to a helper module; the helper's query becomes safe.
    source.files['src/users.js'] = "const { byId } = require('./queries');\nexports.getUser = (id) => byId(id);\n";
    source.files['src/queries.js'] = "const { pool } = require('./pool');\nexports.byId = (id) => pool.query('SELECT * FROM users WHERE id = ' + id);\n";
    bump('src/users.js');
    assert.deepEqual(analyse(analyzer, cache, source, 'src/routes.js', { parseCache }).map(summarise), ['input/sql-injection@5']);
    source.files['src/queries.js'] = "const { pool } = require('./pool');\nexports.byId = (id) => pool.query('SELECT * FROM users WHERE id = $1', [id]);\n";
    bump('src/queries.js');
    assert.deepEqual(analyse(analyzer, cache, source, 'src/routes.js', { parseCache }).map(summarise), []);
  });

  const PY_DB = "import sqlite3\nconn = sqlite3.connect('app.db')\n\ndef get_user(user_id):\n    return conn.execute(f'SELECT * FROM users WHERE id = {user_id}')\n\ndef _private(user_id):\n    return conn.execute(f'SELECT * FROM users WHERE id = {user_id}')\n";
  const PY_IMPORTS: [label: string, importLine: string, call: string, expected: string[]][] = [
    ['import a.b as c', 'import app.db as db', 'db.get_user(user_id)', ['input/sql-injection@6']],
    ['from package import module', 'from app import db', 'db.get_user(user_id)', ['input/sql-injection@6']],
    ['from . import module', 'from . import db', 'db.get_user(user_id)', ['input/sql-injection@6']],
    ['a keyword argument', 'from .db import get_user', 'get_user(user_id=user_id)', ['input/sql-injection@6']],
    ['a private function (not called from elsewhere)', 'from .db import _private', '_private(user_id)', []],
    ['a module that is not there', 'from .nowhere import get_user', 'get_user(user_id)', []],
  ];
  const PY_SERVICE = "import sqlite3\nconn = sqlite3.connect('app.db')\n\nclass UserService:\n    def get_user(self, user_id):\n        return conn.execute(f'SELECT * FROM users WHERE id = {user_id}')\n\n    @staticmethod\n    def find(name):\n        return conn.execute('SELECT * FROM users WHERE name = ' + name)\n";
  const PY_SERVICES: [label: string, call: string, expected: string[]][] = [
    ['a method of an instance of a class from another module', 'UserService().get_user(user_id)', ['input/sql-injection@6']],
    ['a static method called on the class', 'UserService.find(user_id)', ['input/sql-injection@6']],
  ];
  for (const [label, call, expected] of PY_SERVICES) {
    it(`follows input into a Python module: ${label}`, () => {
      const handler = `from flask import Flask\nfrom .services import UserService\napp = Flask(__name__)\n@app.get('/users/<user_id>')\ndef show(user_id):\n    return {'user': ${call}}\n`;
      const source = memory({ 'app/views.py': handler, 'app/services.py': PY_SERVICE });
      const result = analyzer.analyzeFile({ path: 'app/views.py', text: handler, dependencies: new Set(['flask']), importedModules: new ModuleSinkCache(source).resolverFor({ path: path.join(ROOT, 'app/views.py'), relative: 'app/views.py' }, analyzer) });
      const findings = result.findings.filter((finding) => finding.category === 'input');
      assert.deepEqual(findings.map(summarise), expected, label);
      assert.ok(findings[0].related?.some((related) => related.file === 'app/services.py'), label);
    });
  }

  // Instances the handler does not make itself: a module's own instance, FastAPI's injection, an attribute of an object of this file.
  const PY_SERVICE_WITH_INSTANCE = `${PY_SERVICE}\nuser_service = UserService()\n\ndef get_user_service():\n    return UserService()\n`;
  const PY_INSTANCES: [label: string, handler: string, expected: string[]][] = [
    ['an instance the module makes at its top level', "from flask import Flask\nfrom .services import user_service\napp = Flask(__name__)\n@app.get('/users/<user_id>')\ndef show(user_id):\n    return {'user': user_service.get_user(user_id)}\n", ['input/sql-injection@6']],
    ['the module\'s instance through the module', "from flask import Flask\nfrom . import services\napp = Flask(__name__)\n@app.get('/users/<user_id>')\ndef show(user_id):\n    return {'user': services.user_service.get_user(user_id)}\n", ['input/sql-injection@6']],
    ['FastAPI injection: a parameter typed with the class, Depends as default', "from fastapi import FastAPI, Depends\nfrom .services import UserService, get_user_service\napp = FastAPI()\n@app.get('/users')\ndef show(user_id: str, service: UserService = Depends(get_user_service)):\n    return service.get_user(user_id)\n", ['input/sql-injection@6']],
    ['FastAPI injection: Annotated[UserService, Depends(…)]', "from typing import Annotated\nfrom fastapi import FastAPI, Depends\nfrom .services import UserService, get_user_service\napp = FastAPI()\n@app.get('/users')\ndef show(user_id: str, service: Annotated[UserService, Depends(get_user_service)]):\n    return service.get_user(user_id)\n", ['input/sql-injection@7']],
    ['FastAPI injection of a number: nothing', "from fastapi import FastAPI, Depends\nfrom .services import UserService, get_user_service\napp = FastAPI()\n@app.get('/users')\ndef show(user_id: int, service: UserService = Depends(get_user_service)):\n    return service.get_user(user_id)\n", []],
    ['an instance kept in an attribute of an object of the handler\'s file', "from flask import Flask, request\nfrom .services import UserService\napp = Flask(__name__)\nclass Api:\n    def __init__(self):\n        self.users = UserService()\n    def find(self, user_id):\n        return self.users.get_user(user_id)\napi = Api()\n@app.get('/users')\ndef show():\n    return {'user': api.find(request.args['id'])}\n", ['input/sql-injection@8']],
    ['that attribute used from the handler', "from flask import Flask, request\nfrom .services import UserService\napp = Flask(__name__)\nclass Api:\n    def __init__(self):\n        self.users = UserService()\napi = Api()\n@app.get('/users')\ndef show():\n    return {'user': api.users.get_user(request.args['id'])}\n", ['input/sql-injection@10']],
  ];
  for (const [label, handler, expected] of PY_INSTANCES) {
    it(`follows input into a Python module: ${label}`, () => {
      const source = memory({ 'app/views.py': handler, 'app/services.py': PY_SERVICE_WITH_INSTANCE });
      const result = analyzer.analyzeFile({ path: 'app/views.py', text: handler, dependencies: new Set(['flask', 'fastapi']), importedModules: new ModuleSinkCache(source).resolverFor({ path: path.join(ROOT, 'app/views.py'), relative: 'app/views.py' }, analyzer) });
      const findings = result.findings.filter((finding) => finding.category === 'input');
      assert.deepEqual(findings.map(summarise), expected, label);
      if (expected.length) assert.equal(findings[0].remoteSink?.file, 'app/services.py', label);
    });
  }

  it('offers the Python query fix in the module that builds the query', () => {
    const handler = "from flask import Flask\nfrom .db import get_user\napp = Flask(__name__)\n@app.get('/users/<user_id>')\ndef show(user_id):\n    return {'user': get_user(user_id)}\n";
    const source = memory({ 'app/views.py': handler, 'app/db.py': PY_DB });
    const [finding] = analyzer.analyzeFile({ path: 'app/views.py', text: handler, dependencies: new Set(['flask']), importedModules: new ModuleSinkCache(source).resolverFor({ path: path.join(ROOT, 'app/views.py'), relative: 'app/views.py' }, analyzer) }).findings.filter((candidate) => candidate.category === 'input');
    const fix = finding.fixes?.find((hint) => hint.kind === 'edit' && hint.target?.file === 'app/db.py');
    assert.ok(fix && fix.kind === 'edit', JSON.stringify(finding.fixes));
    assert.match(applyEdits(PY_DB, fix.edits), /conn\.execute\('SELECT \* FROM users WHERE id = \?', \(user_id,\)\)/);
  });

  for (const [label, importLine, call, expected] of PY_IMPORTS) {
    it(`follows input into a Python module: ${label}`, () => {
      const handler = `from flask import Flask\n${importLine}\napp = Flask(__name__)\n@app.get('/users/<user_id>')\ndef show(user_id):\n    return {'user': ${call}}\n`;
      const source = memory({ 'app/views.py': handler, 'app/db.py': PY_DB, 'app/__init__.py': '' });
      const result = analyzer.analyzeFile({ path: 'app/views.py', text: handler, dependencies: new Set(['flask']), importedModules: new ModuleSinkCache(source).resolverFor({ path: path.join(ROOT, 'app/views.py'), relative: 'app/views.py' }, analyzer) });
      assert.deepEqual(result.findings.filter((finding) => finding.category === 'input').map(summarise), expected, label);
    });
  }

  it('keeps no syntax node of a module in its sinks (a kept summary must not keep the module\'s tree alive)', () => {
    const hasNode = (value: unknown, seen = new Set<unknown>()): boolean => {
      if (!value || typeof value !== 'object' || seen.has(value)) return false;
      seen.add(value);
      // TypeScript nodes have a kind and a parent; the Python parser's have a type and offsets.
      if (('kind' in value && 'parent' in value) || ('type' in value && 'start' in value && 'end' in value)) return true;
      const entries = value instanceof Map ? [...value.values()] : value instanceof Set ? [] : Object.values(value);
      return entries.some((entry) => hasNode(entry, seen));
    };
    const js = analyzer.moduleSinks({ path: 'src/lib.js', text: "const { execSync } = require('node:child_process');\nexports.run = (command) => execSync(command);\nexports.echo = (text) => `${text}!`;\n" });
    const python = analyzer.moduleSinks({ path: 'app/db.py', text: PY_DB });
    assert.deepEqual([...js.exports.keys()], ['run', 'echo']);
    assert.deepEqual([...(python.pythonExports?.keys() ?? [])], ['get_user']);
    for (const sinks of [js, python]) assert.equal(hasNode(sinks), false, sinks.file);
  });

  it('never throws on a module it cannot make sense of', () => {
    for (const broken of ['export function run(command) { return execSync(command', 'module.exports = ', '\u0000\u0001 export {{{', 'exports.run = require("./lib").run;']) {
      const source = memory({ 'src/app.js': HANDLER, 'src/users.js': broken });
      assert.deepEqual(analyse(analyzer, new ModuleSinkCache(source), source, 'src/app.js').map(summarise), [], broken);
    }
  });
});

describe('input across files in a CLI scan', function () {
  this.timeout(30_000);
  const cli = path.join(repoRoot, 'server', 'out', 'cli.js');
  const project = path.join(inputFixturesDirectory, 'cross-file');
  // routes/users.js: rule, line of the call; db/users.js findByName is parameterised, ordersOf gets a number.
  const EXPECTED = ['input/sql-injection@9 → db/users.js:4', 'input/command-injection@22 → lib/shell.ts:3', 'input/path-traversal@27'];

  for (const jobs of ['1', '2']) {
    it(`finds input reaching sinks in other files (--jobs ${jobs})`, () => {
      const run = spawnSync(process.execPath, [cli, 'scan', '.', '--rules', 'input', '--jobs', jobs, '--format', 'json', '--fail-on', 'none'], { cwd: project, encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      const findings = JSON.parse(run.stdout).findings as { ruleId: string; file: string; line: number; related?: { file: string; line: number }[] }[];
      assert.deepEqual(findings.map((finding) => {
        const remote = finding.related?.find((related) => related.file !== finding.file);
        return `${finding.ruleId}@${finding.line}${remote ? ` → ${remote.file}:${remote.line}` : ''}`;
      }), EXPECTED);
      assert.ok(findings.every((finding) => finding.file === 'routes/users.js'));
    });
  }

  it('finds input reaching sinks in other Python modules (absolute, relative and package imports, keyword arguments)', () => {
    const python = path.join(inputFixturesDirectory, 'python', 'cross-file');
    for (const jobs of ['1', '2']) {
      const run = spawnSync(process.execPath, [cli, 'scan', '.', '--rules', 'input', '--jobs', jobs, '--format', 'json', '--fail-on', 'none'], { cwd: python, encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      const findings = JSON.parse(run.stdout).findings as { ruleId: string; file: string; line: number; message: string; related?: { file: string; line: number }[] }[];
      // show: `from app import db`, db.get_user; report: run_report(..., fmt=…); report_file: a path handed back; remove: delete_user(user_id=…) from `..db`.
      assert.deepEqual(findings.map((finding) => {
        const remote = finding.related?.find((related) => related.file !== finding.file);
        return `${finding.ruleId}@${finding.line}${remote ? ` → ${remote.file}:${remote.line}` : ''}`;
      }), ['input/sql-injection@12 → app/db.py:8', 'input/command-injection@22 → app/services/reports.py:5', 'input/path-traversal@27', 'input/sql-injection@32 → app/db.py:20'], `--jobs ${jobs}`);
      assert.match(findings[0].message, /^The "user_id" part of the URL path, passed to get_user\(\), goes straight into a SQL query in app\/db\.py:8: /);
    }
  });

  it('has the fixture files it names', () => {
    for (const file of ['routes/users.js', 'db/users.js', 'lib/shell.ts', 'services/reports.ts', 'services/exporter.js']) assert.ok(fs.existsSync(path.join(project, file)), file);
  });
});
