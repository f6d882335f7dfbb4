import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseYaml, yamlGet, yamlText } from '../../../../server/src/engine/readiness/parse/yaml';
import { parseToml } from '../../../../server/src/engine/readiness/parse/toml';
import { sqlStatements } from '../../../../server/src/engine/readiness/parse/sql';
import { blankComments } from '../../../../server/src/engine/readiness/parse/comments';
import { keyValuePairs, parseDockerfile } from '../../../../server/src/engine/readiness/parse/dockerfile';
import { majorBounds, npmRangeOf, satisfiesNpmRange, satisfiesPythonSpecifier } from '../../../../server/src/engine/readiness/versions';
import { globToRegExp } from '../../../../server/src/engine/readiness/glob';
import { detectUnits } from '../../../../server/src/engine/readiness/units';
import { readLockfile } from '../../../../server/src/engine/readiness/lockfiles';
import { readRequirements } from '../../../../server/src/engine/readiness/manifests';
import { assessReadiness } from '../../../../server/src/engine/readiness/assessReadiness';
import { defaultConfig } from '../../../../server/src/engine/config/shipshapeConfig';

describe('readiness parsing helpers', () => {
  describe('npm semver ranges (the subset Shipshape supports)', () => {
    const cases: [string, string, boolean][] = [
      ['1.2.3', '^1.2.0', true], ['2.0.0', '^1.2.0', false], ['0.2.5', '^0.2.3', true], ['0.3.0', '^0.2.3', false], ['0.0.3', '^0.0.3', true], ['0.0.4', '^0.0.3', false],
      ['1.2.9', '~1.2.3', true], ['1.3.0', '~1.2.3', false], ['1.9.0', '~1', true],
      ['1.4.0', '1.x', true], ['2.0.0', '1.x', false], ['1.2.7', '1.2.*', true], ['3.0.0', '*', true], ['3.0.0', '', true],
      ['1.5.0', '>=1.2.3 <2.0.0', true], ['2.0.0', '>=1.2.3 <2.0.0', false], ['1.2.3', '1.2.3', true], ['1.2.4', '=1.2.3', false],
      ['2.5.0', '^1.0.0 || ^2.0.0', true], ['1.5.0', '1.2.3 - 1.9.0', true], ['1.9.1', '1.2.3 - 1.9.0', false], ['1.9.9', '1.2 - 1.9', true],
      ['1.3.0-beta.1', '^1.2.0', false], ['1.3.0-beta.2', '^1.3.0-beta.1', true], ['1.3.0', '>= 1.2.0', true], ['1.1.0', '<1.2', true], ['1.2.0', '<=1.1', false],
    ];
    for (const [version, range, expected] of cases) {
      it(`${version} ${expected ? 'satisfies' : 'does not satisfy'} "${range}"`, () => assert.equal(satisfiesNpmRange(version, range), expected));
    }
    it('says "cannot tell" for tags, git, files, workspaces and URLs', () => {
      for (const spec of ['latest', 'next', 'workspace:*', 'file:../x', 'github:user/repo', 'git+https://x/y.git', 'https://x/y.tgz', 'user/repo', 'catalog:']) {
        assert.equal(npmRangeOf(spec), undefined, spec);
      }
      assert.equal(npmRangeOf('npm:string-width@^4.2.0'), '^4.2.0');
    });
    it('finds the major versions a range allows', () => {
      assert.deepEqual(majorBounds('14.x'), { lowest: 14, highest: 14 });
      assert.deepEqual(majorBounds('^16.14.0'), { lowest: 16, highest: 16 });
      assert.deepEqual(majorBounds('>=18'), { lowest: 18, highest: undefined });
      assert.deepEqual(majorBounds('^18 || ^20'), { lowest: 18, highest: 20 });
    });
  });

  describe('Python specifiers (PEP 440 and Poetry)', () => {
    const cases: [string, string, boolean][] = [
      ['2.0.1', '>=2,<3', true], ['3.0', '>=2,<3', false], ['1.4.5', '~=1.4.2', true], ['1.5.0', '~=1.4.2', false], ['1.2.7', '==1.2.*', true],
      ['0.111.0', '^0.111.0', true], ['0.112.0', '^0.111.0', false], ['2.8.0', '^2.8', true], ['3.0.0', '^2.8', false], ['1.2.9', '~1.2', true], ['1.3.0', '~1.2', false],
      ['3.1.19', '^3.1.19', true], ['2.0rc1', '>=2.0', false], ['2.0.post1', '>2.0', true], ['1.0', '!=1.0', false], ['5.0', '*', true], ['4.0', '^1.0 || ^4.0', true],
    ];
    for (const [version, specifier, expected] of cases) {
      it(`${version} ${expected ? 'satisfies' : 'does not satisfy'} "${specifier}"`, () => assert.equal(satisfiesPythonSpecifier(version, specifier), expected));
    }
    it('reads pinned and loose requirements', () => {
      const requirements = readRequirements('requirements.txt', '# comment\nflask==3.0.3\nrequests>=2 ; python_version > "3.8"\n-r base.txt\nuvicorn[standard]==0.30.1 \\\n  --hash=sha256:abc\nDjango_Environ\n');
      assert.deepEqual(requirements.map((item) => `${item.name} ${item.spec} ${item.pinned} ${item.line}`), ['flask ==3.0.3 true 1', 'requests >=2 false 2', 'uvicorn ==0.30.1 true 4', 'django-environ  false 6']);
    });
  });

  describe('YAML subset', () => {
    const workflow = `# CI
name: CI
on:
  pull_request_target:
    types: [opened]
permissions: { contents: read }
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: "\${{ github.event.pull_request.head.sha }}"  # the PR's code
      - name: Test
        run: |
          npm ci
          npm test # comments stay inside block scalars
      - run: "echo 'a # b'" # a comment
      - run: echo plain # YAML ends a plain scalar at ' #'
`;
    const document = parseYaml(workflow);
    it('reads mappings, sequences, flow collections and block scalars with their lines', () => {
      assert.deepEqual([...(yamlGet(document, 'on') as { entries: Map<string, unknown> }).entries.keys()], ['pull_request_target']);
      assert.equal(yamlText(yamlGet(document, 'on', 'pull_request_target', 'types', 0)), 'opened');
      assert.equal(yamlText(yamlGet(document, 'permissions', 'contents')), 'read');
      const ref = yamlGet(document, 'jobs', 'test', 'steps', 0, 'with', 'ref');
      assert.equal(yamlText(ref), '${{ github.event.pull_request.head.sha }}');
      assert.equal(ref?.line, 12);
      assert.equal(yamlText(yamlGet(document, 'jobs', 'test', 'steps', 1, 'run')), 'npm ci\nnpm test # comments stay inside block scalars');
      assert.equal(yamlText(yamlGet(document, 'jobs', 'test', 'steps', 2, 'run')), "echo 'a # b'");
      assert.equal(yamlText(yamlGet(document, 'jobs', 'test', 'steps', 3, 'run')), 'echo plain');
    });
    it('accepts sequences at the indentation of their key', () => {
      const compact = parseYaml('steps:\n- run: a\n- run: b\nafter: x\n');
      assert.equal(yamlText(yamlGet(compact, 'steps', 1, 'run')), 'b');
      assert.equal(yamlText(yamlGet(compact, 'after')), 'x');
    });
  });

  describe('TOML subset', () => {
    it('reads tables, arrays of tables, inline tables, dotted keys and strings', () => {
      const document = parseToml(`# fly
app = "api"
[http_service]
  internal_port = 8080
  min_machines_running = 2
[[http_service.checks]]
  path = "/health"
[tool.poetry.dependencies]
python = "^3.11"
uvicorn = { version = "^0.30.1", extras = ["standard"] }
"quoted.key" = 'literal \\ string'
multi = """
line one
line two"""
site.name = "x"
`);
      const value = document.value as Record<string, any>;
      assert.equal(value.app, 'api');
      assert.equal(value.http_service.min_machines_running, 2);
      assert.equal(value.http_service.checks[0].path, '/health');
      assert.equal(value.tool.poetry.dependencies.uvicorn.version, '^0.30.1');
      assert.equal(value.tool.poetry.dependencies['quoted.key'], 'literal \\ string');
      assert.equal(value.tool.poetry.dependencies.multi, 'line one\nline two');
      assert.equal(value.tool.poetry.dependencies.site.name, 'x');
      assert.equal(document.lines.get('tool.poetry.dependencies.python'), 8);
    });
  });

  describe('SQL statements', () => {
    it('ignores comments, strings, quoted identifiers and dollar-quoted bodies when splitting', () => {
      const statements = sqlStatements(`-- create table a (id int);
/* create table b; /* nested */ still comment; */
create table "My;Table" (note text default 'it''s; fine');
create function f() returns void as $fn$ begin create table c (id int); end; $fn$ language plpgsql;
ALTER TABLE public."My;Table" ENABLE ROW LEVEL SECURITY`);
      assert.equal(statements.length, 3);
      assert.deepEqual(statements[0].tokens.slice(0, 3).map((token) => token.value), ['create', 'table', 'My;Table']);
      assert.ok(statements[1].tokens.some((token) => token.kind === 'body'));
      assert.deepEqual(statements[2].tokens.slice(0, 2).map((token) => token.value), ['alter', 'table']);
    });
    it('blanks comments but keeps offsets and strings', () => {
      const text = "const a = 'http://x'; // jwt.decode(\nconst b = 1; /* jwt.decode( */ jwt.verify(";
      const blanked = blankComments(text, 'c');
      assert.equal(blanked.length, text.length);
      assert.ok(blanked.includes("'http://x'"));
      assert.ok(!blanked.includes('jwt.decode'));
      assert.ok(blanked.includes('jwt.verify('));
      assert.equal(blankComments("x = '#not'  # yes", 'hash'), "x = '#not'       ");
    });
  });

  describe('Dockerfiles', () => {
    it('joins continuation lines and splits stages', () => {
      const { stages } = parseDockerfile('# syntax=docker/dockerfile:1\nFROM --platform=$BUILDPLATFORM node:22 AS build\nRUN npm ci && \\\n    npm run build\nFROM gcr.io/distroless/nodejs22 AS run\nUSER 1000:1000\n');
      assert.deepEqual(stages.map((stage) => `${stage.base} ${stage.alias} ${stage.line}`), ['node:22 build 1', 'gcr.io/distroless/nodejs22 run 4']);
      assert.equal(stages[0].instructions[0].args, 'npm ci && npm run build');
      assert.deepEqual(keyValuePairs('A=1 B="two words" C', 'ARG'), [{ name: 'A', value: '1' }, { name: 'B', value: 'two words' }, { name: 'C' }]);
      assert.deepEqual(keyValuePairs('LEGACY value with spaces', 'ENV'), [{ name: 'LEGACY', value: 'value with spaces' }]);
    });
  });

  describe('globs', () => {
    it('matches names anywhere, anchored paths, ** and braces, ignoring case', () => {
      assert.ok(globToRegExp('Dockerfile').test('apps/api/dockerfile'));
      assert.ok(globToRegExp('*.{yml,yaml}').test('k8s/deploy.yaml'));
      assert.ok(globToRegExp('.github/workflows/*.yml').test('.github/workflows/ci.yml'));
      assert.ok(!globToRegExp('.github/workflows/*.yml').test('x/.github/workflows/ci.yml'));
      assert.ok(globToRegExp('**/supabase/migrations/*.sql').test('supabase/migrations/1_init.sql'));
      assert.ok(globToRegExp('**/prisma/migrations/**/*.sql').test('db/prisma/migrations/2024_init/migration.sql'));
      assert.ok(!globToRegExp('RUNBOOK*').test('docs/not-a-runbook.md'));
    });
  });

  describe('units', () => {
    it('treats a workspace root that only declares workspaces as shared, and every manifest folder as a unit', () => {
      const files: Record<string, string> = {
        'package.json': '{ "name": "root", "private": true, "workspaces": ["apps/*"] }',
        'apps/web/package.json': '{ "name": "web", "dependencies": { "next": "14.2.3" } }',
        'apps/site/package.json': '{ "name": "site", "devDependencies": { "vite": "5.2.0" } }',
        'packages/ui/package.json': '{ "name": "ui", "dependencies": { "react": "18.3.1" } }',
        'services/worker/pyproject.toml': '[project]\nname = "worker"\ndependencies = ["celery>=5"]\n',
        'services/api/requirements/base.txt': 'django==5.0.6\n',
        'test/fixtures/app/package.json': '{ "name": "fixture" }',
      };
      const { units, workspaceRoot } = detectUnits(Object.keys(files), (file) => files[file]);
      assert.equal(workspaceRoot, true);
      assert.deepEqual(units.map((unit) => `${unit.path} ${unit.name} ${unit.kind} ${unit.ecosystems.join('+')}`), [
        'apps/site site frontend node',
        'apps/web web server node',
        'packages/ui ui package node',
        'services/api api server python',
        'services/worker worker package python',
      ]);
    });
    it('keeps a root app as a unit next to a nested front end', () => {
      const files: Record<string, string> = { 'requirements.txt': 'flask==3.0.3\n', 'frontend/package.json': '{ "devDependencies": { "vite": "5.2.0" } }' };
      const { units } = detectUnits(Object.keys(files), (file) => files[file]);
      assert.deepEqual(units.map((unit) => `${unit.path} ${unit.kind}`), ['. server', 'frontend frontend']);
    });
  });

  describe('lockfiles', () => {
    it('reads what pnpm, yarn Berry and bun.lock recorded for a unit', () => {
      const pnpm = readLockfile('pnpm-lock.yaml', "lockfileVersion: '6.0'\nimporters:\n  apps/web:\n    dependencies:\n      next:\n        specifier: ^14.2.0\n        version: 14.2.3(react@18.3.1)\n");
      assert.deepEqual(pnpm.lookup('apps/web', 'next', '^14.2.0'), { version: '14.2.3', declared: '^14.2.0' });
      assert.equal(pnpm.lookup('apps/web', 'react', '^18'), undefined);
      const berry = readLockfile('yarn.lock', '__metadata:\n  version: 8\n\n"express@npm:^4.19.2":\n  version: 4.19.2\n  resolution: "express@npm:4.19.2"\n');
      assert.deepEqual(berry.lookup('', 'express', '^4.19.2'), { version: '4.19.2', declared: '^4.19.2' });
      const bun = readLockfile('bun.lock', '{\n  "lockfileVersion": 1,\n  "workspaces": { "": { "dependencies": { "hono": "^4.4.0", }, }, },\n  "packages": { "hono": ["hono@4.4.6", "", {}, "sha512-x"], },\n}\n');
      assert.deepEqual(bun.lookup('', 'hono', '^4.4.0'), { version: '4.4.6', declared: '^4.4.0' });
      assert.equal(readLockfile('bun.lockb', 'binary').readable, false);
    });
  });

  describe('robustness', () => {
    // Text that looks like the formats, broken at random: parsers must end and never throw.
    const pieces = ['\n', '  ', '- ', ': ', '"', "'", '[', ']', '{', '}', ',', '#', '|', '>', '=', '[[', ']]', '"""', '$$', '$fn$', '--', '/*', '*/', ';', '\\', 'key', 'create table t', 'alter table t enable row level security', 'FROM node:20 AS x', 'USER root', 'ENV A=1', '\t'];
    const text = fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 5 })), { maxLength: 200 }).map((parts) => parts.join(''));
    it('never throw and always finish', () => {
      fc.assert(fc.property(text, (input) => {
        parseYaml(input);
        parseToml(input);
        sqlStatements(input);
        parseDockerfile(input);
        for (const style of ['c', 'hash', 'sql'] as const) assert.equal(blankComments(input, style).length, input.length);
        readRequirements('requirements.txt', input);
        for (const file of ['pnpm-lock.yaml', 'yarn.lock', 'poetry.lock', 'package-lock.json', 'bun.lock', 'Pipfile.lock']) {
          const lockfile = readLockfile(file, input);
          lockfile.packages();
          lockfile.lookup('', 'x', '^1');
        }
      }), { numRuns: 400 });
    });
  });

  describe('robustness of the whole assessment', () => {
    const names = ['package.json', 'pyproject.toml', 'requirements.txt', 'Pipfile', 'Dockerfile', '.github/workflows/ci.yml', 'supabase/migrations/1_init.sql', 'firestore.rules', 'package-lock.json', 'pnpm-lock.yaml', 'poetry.lock', '.gitignore', 'src/server.js', 'app/main.py', 'fly.toml', 'k8s/app.yaml', 'apps/web/package.json', 'infra/main.tf', '.nvmrc'];
    const content = fc.oneof(fc.string({ maxLength: 300 }), fc.constantFrom('{}', '{"dependencies":{"express":"^4"}}', 'null', '[]', '{"workspaces":["apps/*"]}', '[tool.poetry.dependencies]\npython = "^3.8"\n', 'on: push\njobs: 3\n'));
    it('never lets one odd file break a check', () => {
      fc.assert(fc.property(fc.dictionary(fc.constantFrom(...names), content, { maxKeys: names.length }), (files) => {
        const report = assessReadiness({ root: '/fuzz', files: Object.keys(files), read: (file) => files[file], findings: [], config: defaultConfig(), now: new Date('2026-06-01') });
        for (const unit of report.units) {
          for (const check of unit.checks) assert.ok(!check.reason?.startsWith('Shipshape could not evaluate'), `${check.id}: ${check.reason} with ${JSON.stringify(files)}`);
        }
      }), { numRuns: 150 });
    });
  });
});

