import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';

const root = path.resolve(__dirname, '..', '..', '..');

/** The npm package: `npx shipshape` works when installed from the packed tarball, with nothing else. */
describe('the npm package', function () {
  this.timeout(120_000);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-npm-'));
  after(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it('installs from its tarball without the registry and runs the CLI', () => {
    const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', scratch, '--ignore-scripts'], { cwd: root, encoding: 'utf8' })) as { filename: string; files: { path: string }[] }[];
    const files = packed[0].files.map((file) => file.path).sort();
    assert.ok(files.includes('server/out/cli.js') && files.includes('server/out/typescript.js') && files.includes('server/out/rules/secrets/payments.json') && files.includes('README.md'), files.join(', '));
    // The repository's rule files hold the tests' example secrets; the CLI reads the copy without them.
    assert.deepEqual(files.filter((file) => /^rules\/(?!schema\/)/.test(file)), [], 'rule files with examples in the package');
    assert.deepEqual(files.filter((file) => /^(test|scripts|node_modules)\/|\.ts$/.test(file)), [], 'sources or tests in the package');

    const project = path.join(scratch, 'project');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), '{ "name": "consumer", "private": true }\n');
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', path.join(scratch, packed[0].filename)], { cwd: project, encoding: 'utf8' });
    const version = spawnSync('npx', ['--no-install', 'shipshape', '--version'], { cwd: project, encoding: 'utf8' });
    assert.equal(version.stdout.trim(), JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version);

    fs.cpSync(path.join(root, 'test', 'fixtures', 'cli-app'), path.join(project, 'app'), { recursive: true });
    // Route and input analysis load the TypeScript parser from its own file beside the CLI.
    fs.writeFileSync(path.join(project, 'app', 'server.js'), "const express = require('express');\nconst app = express();\napp.post('/users/:id/delete', (req, res) => db.query('DELETE FROM users WHERE id = ' + req.params.id));\n");
    const scan = spawnSync('npx', ['--no-install', 'shipshape', 'scan', 'app', '--format', 'json'], { cwd: project, encoding: 'utf8' });
    assert.equal(scan.status, 1, scan.stderr);
    const ruleIds = (JSON.parse(scan.stdout) as { findings: { ruleId: string }[] }).findings.map((finding) => finding.ruleId);
    for (const expected of ['secret/stripe-secret-key', 'auth/unauthenticated-route', 'input/sql-injection']) assert.ok(ruleIds.includes(expected), `${expected} not in ${ruleIds.join(', ')}`);
  });
});
