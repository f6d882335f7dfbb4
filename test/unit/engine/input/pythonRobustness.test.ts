import * as assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { detectInputFlows } from '../../../../server/src/engine/input/detectInputFlows';
import { FileContext } from '../../../../server/src/engine/fileContext';
import { languageOf } from '../../../../server/src/engine/files/languages';
import { LineIndex } from '../../../../server/src/engine/text/lineIndex';
import { defaultConfig } from '../../../../server/src/engine/config/shipshapeConfig';
import { extractPythonRouteFacts } from '../../../../server/src/engine/routes/python/pyRouteFacts';
import { pyInputData } from '../../../../server/src/engine/input/python/pyRuleData';
import { assertPrefixesKeepFindings, inputFindings, randomlyDamaged, readFixture } from './inputTestHelpers';

const FIXTURES: [fixture: string, file: string, dependencies: string[]][] = [
  ['python/flask/app.py', 'shop/app.py', ['flask', 'flask-sqlalchemy']],
  ['python/django/views.py', 'blog/views.py', ['django', 'psycopg2']],
  ['python/fastapi/main.py', 'app/main.py', ['fastapi', 'sqlalchemy']],
  ['python/fixes/sql-psycopg-percent.py', 'shop/app.py', ['flask']],
];

function contextFor(path: string, text: string, dependencies: string[] = []): FileContext {
  return new FileContext(path, path, text, languageOf(path), new LineIndex(text), defaultConfig(), new Set(dependencies));
}

describe('input analysis for Python: code mid-edit', () => {
  for (const [fixture, file, dependencies] of FIXTURES) {
    it(`${fixture}: every prefix (as if still being typed) analyses without failing or inventing findings`, () => {
      assertPrefixesKeepFindings(fixture, file, dependencies, 11);
    });
  }

  it('survives half-typed calls, stray tokens, broken indentation and deleted characters', () => {
    for (const [fixture, file] of FIXTURES.slice(0, 3)) {
      const tokens = ['(', ')', '[', ']', '{', '}', '"', "'", 'f"{', '**', 'request.', 'await ', ':', '\n    ', '\t', 'def ', 'lambda ', '%', ','];
      for (const damaged of randomlyDamaged(readFixture(fixture), { seed: 11, rounds: 120, tokens })) inputFindings(damaged, file, ['flask', 'django', 'fastapi']);
    }
  });

  it('handles pathological nesting, long chains and recursion without a stack overflow', () => {
    const prelude = 'from flask import Flask, redirect, request\napp = Flask(__name__)\n@app.get("/")\ndef index():\n';
    const deep = `${prelude}    x = ${'('.repeat(3000)}request.args["a"]${')'.repeat(3000)}\n    return redirect(x)\n`;
    assert.ok(inputFindings(deep, 'app.py').length <= 1);
    // One very long line looks minified to the analyzer, so this one goes to the detector directly.
    const chain = `${prelude}    return redirect(${Array.from({ length: 4000 }, () => 'request.args["a"]').join(' + ')})\n`;
    assert.deepEqual(detectInputFlows(contextFor('app.py', chain)).map((finding) => finding.ruleId), ['input/open-redirect']);
    const attributes = `${prelude}    return redirect(request.args${'.x'.repeat(3000)})\n`;
    inputFindings(attributes, 'app.py');
    const calls = `${prelude}    return redirect(request.args.get("a")${'.strip()'.repeat(2000)})\n`;
    inputFindings(calls, 'app.py');
    const nested = `${prelude}${Array.from({ length: 300 }, (_, depth) => `${'    '.repeat(depth + 1)}if request.args.get("x${depth}"):\n`).join('')}${'    '.repeat(301)}return redirect(request.args["a"])\n`;
    inputFindings(nested, 'app.py');
    const recursion = `${prelude}    return walk(request.args["a"])\ndef walk(value):\n    if value:\n        return walk(value[1:])\n    return redirect(value)\n`;
    assert.deepEqual(inputFindings(recursion, 'app.py').map((finding) => finding.ruleId), ['input/open-redirect']);
    const comprehension = `${prelude}    return redirect(${'['.repeat(200)}request.args["a"]${' for _ in range(1)]'.repeat(200)})\n`;
    inputFindings(comprehension, 'app.py');
  });

  it('files that cannot concern it are never parsed: no request, no framework route', () => {
    for (const [path, text] of [
      ['app/utils.py', 'import os\n\ndef run(cmd):\n    os.system(cmd)\n'],
      ['app/models.py', 'from django.db import models\n\nclass Article(models.Model):\n    title = models.CharField(max_length=200)\n'],
      ['scripts/migrate.py', 'import sqlite3\nconn = sqlite3.connect("x.db")\nconn.execute(f"DROP TABLE {name}")\n'],
    ]) {
      const context = contextFor(path, text);
      let parsed = false;
      const original = context.pythonModule.bind(context);
      context.pythonModule = () => {
        parsed = true;
        return original();
      };
      assert.deepEqual(detectInputFlows(context), []);
      assert.equal(parsed, false, path);
    }
  });

  it('a handler file is parsed once, for the route detector and the input detector both', () => {
    const text = readFixture('python/flask/app.py');
    const context = contextFor('shop/app.py', text, ['flask']);
    const modules = new Set<unknown>();
    const original = context.pythonModule.bind(context);
    context.pythonModule = () => {
      const module = original();
      modules.add(module);
      return module;
    };
    assert.ok(detectInputFlows(context).length > 5);
    assert.ok(extractPythonRouteFacts(context));
    assert.equal(modules.size, 1);
  });

  it('test files, conftest, scripts without a framework and non-Python files are skipped', () => {
    const code = 'from flask import Flask, redirect, request\napp = Flask(__name__)\n@app.get("/")\ndef index():\n    return redirect(request.args["to"])\n';
    assert.equal(inputFindings(code, 'app/views.py').length, 1);
    for (const file of ['tests/test_views.py', 'app/test_views.py', 'app/views_test.py', 'conftest.py', 'test/fixtures/app.py']) {
      assert.deepEqual(inputFindings(code, file), [], file);
    }
    const noFramework = 'import os\ndef handler(request):\n    os.system(request["cmd"])\n';
    assert.deepEqual(inputFindings(noFramework, 'lambda_function.py'), []);
  });
});

describe('input analysis for Python: the tables\' regular expressions', () => {
  it('stay fast on long adversarial text', () => {
    const data = pyInputData();
    const patterns: RegExp[] = [
      data.sqlText, data.databaseReceivers, data.viewClassBases, data.modelBases, data.formBases, data.schemaBases, data.enumBases,
      data.validatedModules, data.modelModules, data.formNames, data.schemaNames, data.predicateNames,
    ];
    for (const { python } of data.rules) for (const sink of python.sinks) for (const source of [sink.receiver, sink.receiverNot, sink.namePattern]) if (source) patterns.push(new RegExp(source));
    for (const list of [data.sanitisers, data.propagators, data.validators, data.resolvers]) for (const matchers of list.values()) for (const matcher of matchers) if (matcher.receiver) patterns.push(matcher.receiver);
    const inputs = ['select '.repeat(300), `${'a.'.repeat(150)}!`, `${'x('.repeat(100)}`, `${'objects.filter('.repeat(60)}${')'.repeat(60)}x`, `${'insert('.repeat(80)}`, `${'A'.repeat(1000)}!`, `${'_'.repeat(1000)}Form!`];
    for (const pattern of patterns) {
      for (const input of inputs) {
        const started = Date.now();
        pattern.test(input.slice(0, 2000));
        assert.ok(Date.now() - started < 100, `${pattern} is slow on ${input.slice(0, 20)}…`);
      }
    }
  });
});

describe('input analysis for Python: speed', () => {
  function routeFile(lines: number): string {
    const parts = ['import sqlite3', 'from flask import Flask, abort, redirect, request', '', 'app = Flask(__name__)', 'db = sqlite3.connect("app.db")', ''];
    for (let index = 0; parts.length < lines; index++) {
      if (index % 10 === 0) {
        parts.push(
          `@app.post("/items/${index}")`,
          `def create_item_${index}():`,
          '    data = request.get_json()',
          '    name, price = data["name"], data.get("price", 0)',
          '    if not name:',
          '        abort(400)',
          '    db.execute(f"INSERT INTO items (name, price) VALUES (\'{name}\', {price})")',
          '    for tag in data.get("tags", []):',
          '        db.execute("INSERT INTO tags (item, tag) VALUES (?, ?)", (name, tag))',
          '    return redirect(request.args.get("next") or "/items")',
          '',
        );
      } else {
        parts.push(
          `@app.get("/things/${index}/<int:thing_id>")`,
          `def thing_${index}(thing_id):`,
          '    row = db.execute("SELECT * FROM things WHERE id = ? AND owner = ?", (thing_id, request.headers.get("X-User"))).fetchone()',
          '    if row is None:',
          '        abort(404)',
          '    tags = [tag.strip() for tag in row[2].split(",") if tag]',
          '    return {"thing": row, "tags": tags, "page": int(request.args.get("page", 1))}',
          '',
        );
      }
    }
    return parts.join('\n');
  }

  it('a 5,000-line Flask file: prints the time of its own part (parse excluded) and stays within a generous bound', () => {
    const text = routeFile(5000);
    const path = 'app/routes.py';
    const detect: number[] = [];
    const parse: number[] = [];
    let findings = 0;
    for (let run = 0; run < 12; run++) {
      const context = contextFor(path, text, ['flask']);
      let started = performance.now();
      context.pythonModule();
      parse.push(performance.now() - started);
      started = performance.now();
      findings = detectInputFlows(context).length;
      detect.push(performance.now() - started);
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];
    const lines = text.split('\n').length;
    console.log(`      Python input analysis of ${lines} lines: ${median(detect.slice(2)).toFixed(1)} ms (median; fastest ${Math.min(...detect).toFixed(1)} ms), Python parse ${median(parse.slice(2)).toFixed(1)} ms, ${findings} findings`);
    assert.ok(findings > 100);
    assert.ok(median(detect.slice(2)) < 500, 'generous bound: shared CI machines vary');
  });

  it('the prefilter decides in well under a millisecond for a file it skips', () => {
    const text = Array.from({ length: 2000 }, (_, index) => `def helper_${index}(value):\n    return value * ${index}\n`).join('\n');
    const started = performance.now();
    for (let run = 0; run < 20; run++) assert.deepEqual(detectInputFlows(contextFor('app/helpers.py', text)), []);
    const each = (performance.now() - started) / 20;
    console.log(`      Python prefilter on ${text.split('\n').length} lines without a request: ${each.toFixed(2)} ms`);
    assert.ok(each < 20);
  });
});
