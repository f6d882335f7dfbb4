import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { analyseFiles } from '../../../../server/src/cli/analyseFolder';
import { defaultConfig } from '../../../../server/src/engine/config/shipshapeConfig';
import { viewParametersByFile, type ViewParameters } from '../../../../server/src/engine/routes/link/viewParameters';
import { walkWorkspace } from '../../../../server/src/workspace/fileWalker';
import { builtinAnalyzer, repoRoot, rulesDirectory } from '../../helpers';
import { fixtureRows, inputFixturesDirectory, readFixture, type FixtureRow } from './inputTestHelpers';

/**
 * A Django view receives the URL's parameters as arguments (`def detail(request, slug)` for
 * `path('<slug:slug>/', views.detail)`): request input, unless the converter yields a number
 * or a UUID. Only the linked URL configuration knows which view gets which parameter, through
 * which converter, including those of an including pattern (`shops/<slug:shop>/`).
 */
const project = path.join(inputFixturesDirectory, 'python', 'django-urls');
const SQL_FIX = 'Pass the values as query parameters';

async function linkedProject() {
  return analyseFiles(walkWorkspace(project).files, defaultConfig(), { rulesDirectory, workerScript: '', jobs: 1, workspaceRules: false });
}

function analyseView(file: string, viewParameters?: ViewParameters) {
  return builtinAnalyzer().analyzeFile({ path: file, text: readFixture(path.join('python', 'django-urls', file)), dependencies: new Set(['django', 'djangorestframework', 'psycopg2-binary']), ...(viewParameters ? { viewParameters } : {}) })
    .findings.filter((finding) => finding.category === 'input');
}

const VIEWS: FixtureRow[] = [
  ['input/path-traversal', 13, 11], // <path:name>
  ['input/sql-injection', 18, 16, [SQL_FIX]], // <str:username>; item()'s <int:pk> and archive()'s [0-9]{4} are numbers
  ['input/sql-injection', 41, 39, [SQL_FIX]], // (?P<tag>[^/]+)
  ['input/command-injection', 49, 47], // <slug:shop> from the including pattern, <kind> (str) from its own
  ['input/sql-injection', 65, 65, [SQL_FIX]], // self.kwargs["shop"] (a slug); self.kwargs["pk"] on line 62 is <int:pk>
];

describe('Django URL parameters as request input', function () {
  this.timeout(30_000);

  it('linking gives each view its parameters and their converters, the including patterns\' too', async () => {
    const parameters = viewParametersByFile((await linkedProject()).inventory.routes);
    const plain = (file: string) => Object.fromEntries([...(parameters.get(file) ?? [])].map(([view, names]) => [view, { ...names }]));
    assert.deepEqual(plain('library/views.py'), {
      download: { shop: ['slug'], name: ['path'] },
      user_posts: { shop: ['slug'], username: ['str'] },
      item: { shop: ['slug'], pk: ['int'] },
      archive: { shop: ['slug'], year: ['regex:[0-9]{4}'] },
      tagged: { shop: ['slug'], tag: ['regex:[^/]+'] },
      'ReportView.get': { shop: ['slug'], kind: ['str'] },
      'ItemReportView.get': { shop: ['slug'], pk: ['int'] },
    });
    // A ViewSet's pk comes from the router's lookup: DRF's default pattern, or the class's lookup_value_regex.
    assert.deepEqual(plain('library/api.py'), { 'BookViewSet.retrieve': { shop: ['slug'], pk: ['regex:[^/.]+'] }, 'LoanViewSet.retrieve': { shop: ['slug'], pk: ['regex:[0-9]+'] } });
  });

  it('finds flows from text parameters, not from int, [0-9]{4} or an unrouted function\'s arguments', async () => {
    const parameters = viewParametersByFile((await linkedProject()).inventory.routes);
    assert.deepEqual(fixtureRows(analyseView('library/views.py', parameters.get('library/views.py'))), VIEWS);
    assert.deepEqual(fixtureRows(analyseView('library/api.py', parameters.get('library/api.py'))), [['input/sql-injection', 10, 7, [SQL_FIX]]]);
    const [sql] = analyseView('library/views.py', parameters.get('library/views.py')).filter((finding) => finding.ruleId === 'input/sql-injection');
    // The view receives it as `username`: no "(username)" after the description.
    assert.match(sql.message, /^The "username" part of the URL path goes straight into this SQL query/);
    // Without the URL configuration the arguments are not known to be input, and every self.kwargs value is.
    assert.deepEqual(fixtureRows(analyseView('library/views.py')), [['input/sql-injection', 62, 62, [SQL_FIX]], ['input/sql-injection', 65, 65, [SQL_FIX]]]);
    assert.deepEqual(analyseView('library/api.py'), []);
  });

  const converters: [types: string[], input: boolean][] = [
    [['int'], false], [['uuid'], false], [['regex:\\d+'], false], [['regex:[0-9]{4}'], false], [['regex:[0-9a-fA-F-]{36}'], false], [['regex:\\d{2,4}'], false],
    [['str'], true], [['slug'], true], [['path'], true], [['my_converter'], true], [['regex:[^/]+'], true], [['regex:\\w+'], true], [['regex:.+'], true], [['regex:[0-9a-z]+'], true],
    [['int', 'str'], true], // two patterns route to the view, one of them with text
  ];
  for (const [types, input] of converters) {
    it(`a parameter converted by ${types.join(' and ')} is ${input ? '' : 'not '}input`, () => {
      const text = 'from django.db import connection\n\n\ndef view(request, value):\n    connection.cursor().execute("SELECT * FROM t WHERE c = \'" + value + "\'")\n';
      const findings = builtinAnalyzer().analyzeFile({ path: 'app/views.py', text, dependencies: new Set(['django']), viewParameters: new Map([['view', { value: types }]]) }).findings;
      assert.deepEqual(findings.map((finding) => finding.ruleId), input ? ['input/sql-injection'] : []);
    });
  }

  it('the CLI scan links first, then analyses the views with their parameters, on one thread or several', async () => {
    const analysis = await linkedProject();
    const rows = (file: string) => fixtureRows(analysis.findings.filter((finding) => finding.file === file && finding.category === 'input').sort((a, b) => a.startOffset - b.startOffset));
    assert.deepEqual(rows('library/views.py'), VIEWS);
    const cli = path.join(repoRoot, 'server', 'out', 'cli.js');
    for (const rules of ['input', 'input/sql-injection']) {
      for (const jobs of ['1', '2']) {
        const run = spawnSync(process.execPath, [cli, 'scan', '.', '--rules', rules, '--jobs', jobs, '--format', 'json', '--fail-on', 'none'], { cwd: project, encoding: 'utf8' });
        const found = (JSON.parse(run.stdout).findings as { file: string; line: number; ruleId: string }[]).map((finding) => `${finding.file}:${finding.line} ${finding.ruleId}`);
        const expected = ['library/api.py:10 input/sql-injection', ...VIEWS.map(([rule, line]) => `library/views.py:${line} ${rule}`)].filter((entry) => entry.endsWith(rules) || rules === 'input');
        assert.deepEqual(found.sort(), expected.sort(), `--rules ${rules} --jobs ${jobs}`);
      }
    }
  });
});

describe('Flask class-based views\' URL parameters as request input', function () {
  this.timeout(30_000);
  const flask = path.join(inputFixturesDirectory, 'python', 'flask-views');

  it('a MethodView or function registered with add_url_rule gets its rule\'s parameters; int and float ones are not input', async () => {
    const analysis = await analyseFiles(walkWorkspace(flask).files, defaultConfig(), { rulesDirectory, workerScript: '', jobs: 1, workspaceRules: false });
    const parameters = viewParametersByFile(analysis.inventory.routes).get('views.py');
    assert.deepEqual(Object.fromEntries([...(parameters ?? [])].map(([view, names]) => [view, { ...names }])), {
      'UserAPI.get': { username: ['str'] },
      'FileAPI.get': { name: ['path'] },
      'ItemAPI.get': { item_id: ['int'] },
      'PriceAPI.get': { amount: ['float'] },
      // Function views registered in app.py: their parameters go to the function in views.py.
      show_tag: { tag: ['str'] },
      show_page: { page: ['int'] },
    });
    const rows = fixtureRows(analysis.findings.filter((finding) => finding.category === 'input').sort((a, b) => a.startOffset - b.startOffset));
    assert.deepEqual(rows, [['input/sql-injection', 12, 11, [SQL_FIX]], ['input/path-traversal', 17, 16], ['input/sql-injection', 33, 32, [SQL_FIX]]]);
    // The views read no `request`: without the rules, nothing says their arguments are input.
    const alone = builtinAnalyzer().analyzeFile({ path: 'views.py', text: fs.readFileSync(path.join(flask, 'views.py'), 'utf8'), dependencies: new Set(['flask']) });
    assert.deepEqual(alone.findings.filter((finding) => finding.category === 'input'), []);
  });
});
