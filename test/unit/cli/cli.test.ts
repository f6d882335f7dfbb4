import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { repoRoot } from '../helpers';

const cli = path.join(repoRoot, 'server', 'out', 'cli.js');
const fixture = path.join(repoRoot, 'test', 'fixtures', 'cli-app');

/** Raw values planted in the fixture; none may appear in any output. */
const PLANTED = [
  'sk_live_51NzQp2LkT8vRw3Ya9cHd6mBx4Jq7Fs1Ue0Gi5Ko2Pl8Wn3Ry6Tv9Zb4Xc7Md1Sf5',
  'sk_live_51NzQp2LkT8vRw3Ya9cHd6mBx4Jq7Fs1Ue0Gi5Ko2Pl8Wn3Ry6Tv9Zb4Xc7Md1Sf7',
  'sk_test_4eC39HqLyjWDarjtT1zdp7dcK9vQ2mXz',
  'keyboard cat',
  '7Hd2Lk9Qw3Zr5Tv8Nb1Xc4Mf',
];

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function shipshape(args: string[], cwd: string, env: Record<string, string> = {}): Run {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A scratch copy of the fixture, so tests can add files, links and git history. */
function scratchCopy(): string {
  const target = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-cli-')));
  fs.cpSync(fixture, target, { recursive: true });
  return target;
}

function assertNoPlantedSecret(output: string, where: string): void {
  for (const secret of PLANTED) assert.ok(!output.includes(secret), `${where} contains the raw value ${secret.slice(0, 6)}…`);
}

describe('shipshape CLI', function () {
  this.timeout(60000);

  describe('scan', () => {
    it('reports findings as JSON with 1-based positions, skipping ignored and default folders', () => {
      const run = shipshape(['scan', '--format', 'json'], fixture);
      assert.equal(run.status, 1, run.stderr);
      const report = JSON.parse(run.stdout);
      const summary = report.findings.map((f: { file: string; line: number; column: number; ruleId: string; severity: string; suppression?: { kind: string } }) =>
        `${f.file}:${f.line}:${f.column} ${f.severity} ${f.ruleId}${f.suppression ? ` (${f.suppression.kind})` : ''}`);
      assert.deepEqual(summary, [
        '.gitignore:1:1 warning readiness/env-in-gitignore',
        'config/app.yml:3:14 warning secret/generic-env-secret (exemption)',
        'package.json:1:1 warning readiness/ci-runs-tests',
        'package.json:1:1 warning readiness/dependency-update-bot',
        'package.json:1:1 warning readiness/lockfile',
        'package.json:1:1 warning readiness/runbook',
        'public/env.js:1:25 error secret/stripe-secret-key',
        'src/payments.ts:3:35 error secret/stripe-secret-key',
        'src/payments.ts:6:25 warning secret/stripe-test-secret-key (inline)',
        'src/session.ts:5:12 error secret/session-secret',
      ]);
      assert.deepEqual(report.summary, { ...report.summary, errors: 3, warnings: 5, suppressed: 2, filesScanned: 10 });
      assert.ok(report.findings.every((f: { fingerprint: string }) => /^[0-9a-f]{32}$/.test(f.fingerprint)));
      assert.match(report.findings.find((f: { file: string }) => f.file === 'public/env.js').message, /ships to the browser/);
    });

    it('prints text grouped by file with file:line:col, severity, rule and a summary, without colour when piped', () => {
      const run = shipshape(['scan'], fixture);
      assert.equal(run.status, 1);
      assert.match(run.stdout, /^src\/payments\.ts\n {2}src\/payments\.ts:3:35 {2}error {4}secret\/stripe-secret-key {2}Stripe live secret key \(sk_l\*\*\*\* \(73 chars\)\)/m);
      assert.match(run.stdout, /✖ 8 findings \(3 errors, 5 warnings, 0 notes\) · 10 files scanned · 2 suppressed · [\d.]+ s\n$/);
      assert.ok(!run.stdout.includes('\x1b['), 'colour escape codes in piped output');
      assert.equal(run.stderr, '');
    });

    it('writes SARIF 2.1.0 that validates against the official schema, with suppressions and relative locations', () => {
      const run = shipshape(['scan', '--format', 'sarif'], fixture);
      assert.equal(run.status, 1, run.stderr);
      const sarif = JSON.parse(run.stdout);
      const schema = JSON.parse(fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'schemas', 'sarif-schema-2.1.0.json'), 'utf8'));
      const ajv = new Ajv({ allErrors: true, strict: false });
      addFormats(ajv);
      const validate = ajv.compile(schema);
      const valid: boolean = validate(sarif);
      assert.ok(valid, JSON.stringify(validate.errors?.slice(0, 5), null, 1));

      const [runResult] = sarif.runs;
      const rules = runResult.tool.driver.rules as { id: string; name: string; shortDescription: { text: string }; fullDescription: { text: string }; helpUri: string; help: { text: string }; defaultConfiguration: { level: string }; properties: { category: string; tags: string[] } }[];
      assert.ok(rules.length >= 5);
      for (const rule of rules) {
        assert.ok(rule.id && rule.name && rule.shortDescription.text && rule.fullDescription.text && rule.help.text, rule.id);
        assert.match(rule.helpUri, /^https:\/\//);
        assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration.level));
        assert.ok(['secret', 'auth', 'input', 'readiness', 'config'].includes(rule.properties.category));
        assert.ok(rule.properties.tags.length > 0);
      }
      const stripe = runResult.results.find((result: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => result.ruleId === 'secret/stripe-secret-key' && result.locations[0].physicalLocation.artifactLocation.uri === 'src/payments.ts');
      assert.deepEqual(stripe.locations[0].physicalLocation, {
        artifactLocation: { uri: 'src/payments.ts', uriBaseId: '%SRCROOT%' },
        region: { startLine: 3, startColumn: 35, endLine: 3, endColumn: 108 },
      });
      assert.equal(stripe.level, 'error');
      assert.equal(stripe.properties.category, 'secret');
      assert.match(stripe.partialFingerprints['shipshapeFingerprint/v1'], /^[0-9a-f]{32}$/);
      assert.equal(rules[stripe.ruleIndex].id, 'secret/stripe-secret-key');
      const suppressed = runResult.results.filter((result: { suppressions?: unknown[] }) => result.suppressions);
      assert.deepEqual(suppressed.map((result: { suppressions: { kind: string; justification: string }[] }) => result.suppressions[0]), [
        { kind: 'external', status: 'accepted', justification: 'local development value' },
        { kind: 'inSource', status: 'accepted', justification: 'used only by the local mock server' },
      ]);
      assert.equal(runResult.originalUriBaseIds['%SRCROOT%'].uri, `file://${fixture}/`);
    });

    it('writes Markdown for pull requests', () => {
      const run = shipshape(['scan', '--format', 'markdown'], fixture);
      assert.match(run.stdout, /^## Shipshape scan\n\n\*\*3\*\* errors · \*\*5\*\* warnings · \*\*0\*\* notes in 10 files · 2 suppressed\n/);
      assert.match(run.stdout, /\| 🔴 error \| \[`secret\/stripe-secret-key`\]\(https:[^)]+\) \| `src\/payments\.ts:3:35` \|/);
    });

    it('never prints a planted secret in any format, nor in the baseline file', () => {
      const scratch = scratchCopy();
      for (const format of ['text', 'json', 'sarif', 'markdown']) {
        const run = shipshape(['scan', '--format', format, '--verbose'], scratch);
        assertNoPlantedSecret(run.stdout + run.stderr, `${format} output`);
      }
      shipshape(['scan', '--write-baseline', 'baseline.json'], scratch);
      assertNoPlantedSecret(fs.readFileSync(path.join(scratch, 'baseline.json'), 'utf8'), 'the baseline');
      shipshape(['scan', '--format', 'sarif', '--output', 'out.sarif'], scratch);
      assertNoPlantedSecret(fs.readFileSync(path.join(scratch, 'out.sarif'), 'utf8'), 'the SARIF file');
    });

    it('exits 0 below the --fail-on threshold, 1 at or above it', () => {
      assert.equal(shipshape(['scan', 'src/clean.ts'], fixture).status, 0);
      assert.equal(shipshape(['scan', '--fail-on', 'none'], fixture).status, 0);
      assert.equal(shipshape(['scan', '--fail-on', 'error'], fixture).status, 1);
      const onlyWarnings = scratchCopy();
      fs.writeFileSync(path.join(onlyWarnings, 'src', 'payments.ts'), "export const k = 'sk_test_4eC39HqLyjWDarjtT1zdp7dcK9vQ2mXz';\n");
      assert.equal(shipshape(['scan', 'src/payments.ts'], onlyWarnings).status, 0);
      assert.equal(shipshape(['scan', 'src/payments.ts', '--fail-on', 'warning'], onlyWarnings).status, 1);
      assert.equal(shipshape(['scan', 'src/payments.ts', '--fail-on', 'note'], onlyWarnings).status, 1);
    });

    it('exits 2 with one line on stderr for usage, configuration and I/O errors', () => {
      const cases: [string[], RegExp][] = [
        [['scan', '--format', 'xml'], /^shipshape: --format must be one of text, json, sarif, markdown, not "xml"\n$/],
        [['scan', '--fail-on', 'sometimes'], /^shipshape: --fail-on must be/],
        [['scan', '--bogus'], /^shipshape: Unknown option '--bogus'/],
        [['scan', 'no/such/dir'], /^shipshape: no\/such\/dir: no such file or folder\n$/],
        [['scan', '--baseline', 'missing.json'], /^shipshape: cannot read the baseline .*missing\.json: no such file\n$/],
        [['scan', '--config', 'missing.json'], /^shipshape: cannot read the config file/],
        [['frobnicate'], /^shipshape: unknown command "frobnicate"/],
        [['scan', '--jobs', '0'], /^shipshape: --jobs must be a whole number/],
      ];
      for (const [args, expected] of cases) {
        const run = shipshape(args, fixture);
        assert.equal(run.status, 2, `${args.join(' ')}: ${run.stderr}`);
        assert.match(run.stderr, expected);
        assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
      }
      const broken = scratchCopy();
      fs.writeFileSync(path.join(broken, '.shipshape.json'), '{ "exemptions": [ }');
      const run = shipshape(['scan'], broken);
      assert.equal(run.status, 2);
      assert.match(run.stderr, /^shipshape: \.shipshape\.json:1: This is not valid JSON here/);
    });

    it('skips and counts binary, invalid UTF-8, special files and symlink loops without crashing', () => {
      const scratch = scratchCopy();
      fs.writeFileSync(path.join(scratch, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0x73, 0x6b]));
      fs.writeFileSync(path.join(scratch, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
      fs.symlinkSync(scratch, path.join(scratch, 'loop'));
      fs.symlinkSync(path.join(scratch, 'nowhere'), path.join(scratch, 'dangling'));
      execFileSync('mkfifo', [path.join(scratch, 'pipe')]);
      const run = shipshape(['scan', '--verbose', '--format', 'json'], scratch);
      assert.equal(run.status, 1, run.stderr);
      const report = JSON.parse(run.stdout);
      const skipped = Object.fromEntries(report.skipped.map((skip: { file: string; reason: string }) => [skip.file, skip.reason]));
      assert.deepEqual(skipped, { dangling: 'symlink', 'latin1.txt': 'invalid-utf8', 'logo.png': 'binary', loop: 'symlink', pipe: 'special' });
      assert.match(run.stderr, /skipped {2}logo\.png: binary/);
      assert.match(run.stderr, /ignored {2}generated/);
    });

    it('reports a file whose analysis failed in part (here: an installation without the parser bundle) and keeps its other findings', () => {
      const install = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-broken-')));
      fs.mkdirSync(path.join(install, 'server', 'out'), { recursive: true });
      fs.copyFileSync(cli, path.join(install, 'server', 'out', 'cli.js'));
      fs.symlinkSync(path.join(repoRoot, 'rules'), path.join(install, 'rules'));
      const scratch = scratchCopy();
      fs.writeFileSync(path.join(scratch, 'src', 'server.js'), "const express = require('express');\nconst app = express();\napp.post('/users/:id/delete', (req, res) => db.query('DELETE FROM users WHERE id = ' + req.params.id));\nconst key = 'sk_live_51NzQp2LkT8vRw3Ya9cHd6mBx4Jq7Fs1Ue0Gi5Ko2Pl8Wn3Ry6Tv9Zb4Xc7Md1Sf5';\n");
      const result = spawnSync(process.execPath, [path.join(install, 'server', 'out', 'cli.js'), 'scan', '--verbose', '--format', 'json'], { cwd: scratch, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      const report = JSON.parse(result.stdout);
      const partial = report.limited.find((note: { file: string }) => note.file === 'src/server.js');
      assert.equal(partial?.reason, 'analysis-failed', JSON.stringify(report.limited));
      assert.match(partial.detail, /typescript\.js/);
      assert.ok(report.findings.some((finding: { file: string; ruleId: string }) => finding.file === 'src/server.js' && finding.ruleId === 'secret/stripe-secret-key'));
      assert.match(result.stderr, /partial {2}src\/server\.js: analysis-failed \(.*typescript\.js/);
      assertNoPlantedSecret(result.stdout + result.stderr, 'partial analysis');
    });

    it('finds the same in a folder outside the current one (files named by absolute path) as from inside it', () => {
      const scratch = scratchCopy();
      fs.writeFileSync(path.join(scratch, 'src', 'server.js'), "const express = require('express');\nconst admin = require('./admin');\nconst app = express();\napp.use('/api/admin', admin);\n");
      fs.writeFileSync(path.join(scratch, 'src', 'admin.js'), "const express = require('express');\nconst router = express.Router();\nrouter.post('/users/:id/delete', (req, res) => db.query('DELETE FROM users WHERE id = ' + req.params.id));\nmodule.exports = router;\n");
      const summary = (cwd: string, target: string) => {
        const report = JSON.parse(shipshape(['scan', target, '--format', 'json', '--fail-on', 'none'], cwd).stdout) as { findings: { ruleId: string; file: string; line: number; message: string }[] };
        return report.findings.map((finding) => `${finding.ruleId} ${path.relative(scratch, path.resolve(cwd, finding.file))}:${finding.line} ${finding.message.replace(/\S*\/(?=[\w.-]+:\d)/g, '')}`).sort();
      };
      const inside = summary(scratch, '.');
      assert.ok(inside.some((line) => line.startsWith('auth/unauthenticated-route') && line.includes('/api/admin/users/:id/delete')), inside.join('\n'));
      assert.ok(inside.some((line) => line.startsWith('readiness/')), inside.join('\n'));
      const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-cwd-'));
      assert.deepEqual(summary(elsewhere, scratch), inside);
    });

    it('scans only files changed since a git ref, including untracked ones', () => {
      const scratch = scratchCopy();
      const git = (...args: string[]) => execFileSync('git', args, { cwd: scratch, env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
      git('init', '-q');
      git('add', '-A');
      git('commit', '-qm', 'initial');
      fs.appendFileSync(path.join(scratch, 'src', 'session.ts'), '// touched\n');
      fs.writeFileSync(path.join(scratch, 'src', 'new.ts'), "export const k = 'sk_live_51NzQp2LkT8vRw3Ya9cHd6mBx4Jq7Fs1Ue0Gi5Ko2Pl8Wn3Ry6Tv9Zb4Xc7Md1Sf5';\n");
      const report = JSON.parse(shipshape(['scan', '--changed-since', 'HEAD', '--format', 'json'], scratch).stdout);
      assert.deepEqual([...new Set(report.findings.map((f: { file: string }) => f.file))], ['src/new.ts', 'src/session.ts']);
      const bad = shipshape(['scan', '--changed-since', 'no-such-ref'], scratch);
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /^shipshape: --changed-since no-such-ref: git failed/);
    });

    it('filters by --rules and gives the same findings on one thread or several', () => {
      const readinessOnly = JSON.parse(shipshape(['scan', '--rules', 'readiness', '--format', 'json'], fixture).stdout);
      assert.ok(readinessOnly.findings.length > 0 && readinessOnly.findings.every((f: { ruleId: string }) => f.ruleId.startsWith('readiness/')));
      const secretsOnly = JSON.parse(shipshape(['scan', '--rules', 'secret/session-secret', '--format', 'json'], fixture).stdout);
      assert.deepEqual(secretsOnly.findings.map((f: { ruleId: string }) => f.ruleId), ['secret/session-secret']);
      // A filter that selects no rule is a usage error, not a clean "0 findings".
      for (const [command, filter, meant] of [['scan', 'secrets', '"secret"'], ['scan', 'secret/stripe-key', '"secret/stripe-secret-key"'], ['rules', 'readines', '"readiness"']]) {
        const wrong = shipshape([command, '--rules', filter], fixture);
        assert.equal(wrong.status, 2, `${command} --rules ${filter}`);
        assert.equal(wrong.stdout, '');
        assert.match(wrong.stderr, new RegExp(`^shipshape: --rules "${filter}" matches no rule\\. Did you mean ${meant}`));
      }
      const one = JSON.parse(shipshape(['scan', '--jobs', '1', '--format', 'json'], fixture).stdout);
      // Threads take files from one shared list: every file exactly once, whichever thread takes it.
      for (const jobs of ['2', '3']) {
        const many = JSON.parse(shipshape(['scan', '--jobs', jobs, '--format', 'json'], fixture).stdout);
        assert.deepEqual(many.findings, one.findings);
        assert.equal(many.summary.filesScanned, one.summary.filesScanned);
        assert.deepEqual(many.skipped, one.skipped);
      }
    });
  });

  describe('baseline', () => {
    it('round-trips: accepted findings stay hidden when code moves; a new secret on an old line is reported', () => {
      const scratch = scratchCopy();
      const written = shipshape(['scan', '--write-baseline', 'baseline.json', '--fail-on', 'none'], scratch);
      assert.equal(written.status, 0);
      assert.match(written.stderr, /^Wrote 8 findings to the baseline baseline\.json\n$/);
      const clean = shipshape(['scan', '--baseline', 'baseline.json', '--format', 'json'], scratch);
      assert.equal(clean.status, 0, clean.stdout);
      assert.equal(JSON.parse(clean.stdout).summary.baselined, 8);

      // Moving code (new lines above) keeps the accepted finding accepted.
      const payments = path.join(scratch, 'src', 'payments.ts');
      fs.writeFileSync(payments, `// a comment\n\n${fs.readFileSync(payments, 'utf8')}`);
      assert.equal(shipshape(['scan', '--baseline', 'baseline.json'], scratch).status, 0);

      // A different key on the same line is new.
      fs.writeFileSync(payments, fs.readFileSync(payments, 'utf8').replace('Sf5', 'Sf6'));
      const moved = JSON.parse(shipshape(['scan', '--baseline', 'baseline.json', '--format', 'json'], scratch).stdout);
      assert.deepEqual(moved.findings.filter((f: { suppression?: unknown }) => !f.suppression).map((f: { file: string; line: number }) => `${f.file}:${f.line}`), ['src/payments.ts:5']);
    });
  });

  describe('rules and init', () => {
    it('lists every rule with category, severity and documentation', () => {
      const rules = JSON.parse(shipshape(['rules', '--format', 'json'], fixture).stdout);
      assert.ok(rules.some((rule: { id: string; category: string; docsUrl: string }) => rule.id === 'secret/stripe-secret-key' && rule.category === 'secret' && rule.docsUrl.startsWith('https://')));
      const text = shipshape(['rules'], fixture).stdout;
      assert.match(text, /^secret\/stripe-secret-key +secret +error +Stripe live secret key$/m);
      assert.match(text, /\n\d+ rules\n$/);
    });

    it('init writes a commented config, a SARIF-uploading workflow and a pre-commit hook, and never overwrites', () => {
      const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-init-'));
      const first = shipshape(['init'], scratch);
      assert.equal(first.status, 0);
      assert.deepEqual(first.stdout.trim().split('\n'), ['wrote    .shipshape.json', 'wrote    .github/workflows/shipshape.yml', 'wrote    .pre-commit-config.yaml']);
      const workflow = fs.readFileSync(path.join(scratch, '.github', 'workflows', 'shipshape.yml'), 'utf8');
      assert.match(workflow, /github\/codeql-action\/upload-sarif@v3/);
      assert.match(workflow, /security-events: write/);
      assert.match(fs.readFileSync(path.join(scratch, '.pre-commit-config.yaml'), 'utf8'), /id: shipshape/);
      // The commented config is read by the scanner without complaint.
      assert.equal(shipshape(['scan'], scratch).status, 0);
      const second = shipshape(['init'], scratch);
      assert.match(second.stdout, /kept {5}\.shipshape\.json \(exists; --force overwrites\)/);
    });

    it('--version and --help', () => {
      assert.match(shipshape(['--version'], fixture).stdout, /^\d+\.\d+\.\d+\n$/);
      const help = shipshape(['--help'], fixture);
      assert.equal(help.status, 0);
      assert.match(help.stdout, /Usage: shipshape <command>/);
      assert.equal(shipshape([], fixture).status, 2);
    });
  });
});
