import * as assert from 'node:assert/strict';
import { detectInputFlows } from '../../../../server/src/engine/input/detectInputFlows';
import { FileContext } from '../../../../server/src/engine/fileContext';
import { languageOf } from '../../../../server/src/engine/files/languages';
import { LineIndex } from '../../../../server/src/engine/text/lineIndex';
import { defaultConfig } from '../../../../server/src/engine/config/shipshapeConfig';
import { extractPythonRouteFacts } from '../../../../server/src/engine/routes/python/pyRouteFacts';
import { pyInputData } from '../../../../server/src/engine/input/python/pyRuleData';
import { flaskRouteFile, pythonHelpersFile } from '../../../bench/generatedRouteFiles';
import { assertPrefixesKeepFindings, inputFindings, randomlyDamaged, readFixture } from './inputTestHelpers';
import { builtinAnalyzer } from '../../helpers';

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

  it('views known from urls.py survive being edited: damaged views with their URL parameters never fail', () => {
    const viewParameters = new Map<string, Record<string, string[]>>([
      ['download', { shop: ['slug'], name: ['path'] }], ['user_posts', { shop: ['slug'], username: ['str'] }], ['item', { pk: ['int'] }],
      ['tagged', { tag: ['regex:[^/]+'] }], ['ReportView.get', { shop: ['slug'], kind: ['str'] }], ['ItemReportView.get', { pk: ['int'], shop: ['slug'] }],
    ]);
    const analyzer = builtinAnalyzer();
    const tokens = ['(', ')', '[', ']', '"', "'", 'f"{', ':', '\n    ', 'def ', 'class ', 'self.kwargs[', ',', '=None'];
    for (const damaged of randomlyDamaged(readFixture('python/django-urls/library/views.py'), { seed: 23, rounds: 150, tokens })) {
      const result = analyzer.analyzeFile({ path: 'library/views.py', text: damaged, dependencies: new Set(['django']), viewParameters });
      assert.equal(result.failures, undefined, JSON.stringify(result.failures));
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
    // Objects that hold themselves, joined in one expression (either instance): the statement keeps its finding.
    const selves = 'class A:\n    def __init__(self):\n        self.me = self\nclass B:\n    def __init__(self):\n        self.me = self\n';
    const joined = `${selves}${prelude}    target = request.args["next"]\n    return redirect(target, (A() if request.args.get("a") else B()).me.me)\n`;
    assert.deepEqual(inputFindings(joined, 'app.py').map((finding) => finding.ruleId), ['input/open-redirect']);
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

describe('input analysis for Python: a large file', () => {
  // Its time is measured by the benchmark (npm run bench), not asserted here.
  it('a 5,000-line Flask file: the SQL built from the body and the redirect are found in every view that has them', () => {
    const file = flaskRouteFile(5000);
    const found = detectInputFlows(contextFor('app/routes.py', file.text, ['flask']));
    assert.equal(found.filter((finding) => finding.ruleId === 'input/sql-injection').length, file.unsafeHandlers);
    assert.equal(found.filter((finding) => finding.ruleId === 'input/open-redirect').length, file.unsafeHandlers);
    assert.equal(found.length, 2 * file.unsafeHandlers, 'nothing in the safe views');
  });

  it('a module without a request is skipped before it is parsed', () => {
    const context = contextFor('app/helpers.py', pythonHelpersFile(2000));
    let parsed = false;
    const parse = context.pythonModule.bind(context);
    context.pythonModule = () => {
      parsed = true;
      return parse();
    };
    assert.deepEqual(detectInputFlows(context), []);
    assert.equal(parsed, false);
  });
});
