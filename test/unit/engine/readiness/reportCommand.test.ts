import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runReportCommand } from '../../../../server/src/cli/reportCommand';
import { parseCliOptions } from '../../../../server/src/cli/options';
import { UsageError, type CliIo } from '../../../../server/src/cli/cliIo';
import type { ReadinessReport } from '../../../../server/src/engine/readiness/types';
import { repoRoot, rulesDirectory } from '../../helpers';
import { ASSESSED_AT } from './readinessHelpers';

function captureIo(): CliIo & { out: string; err: string } {
  const io = { out: '', err: '', color: false, stdout: (text: string) => { io.out += text; }, stderr: (text: string) => { io.err += text; } };
  return io;
}

/** A copy outside the repository, so git knows nothing about it. */
function scratchCopy(name: string): string {
  const target = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-report-')));
  fs.cpSync(path.join(repoRoot, 'test', 'fixtures', 'readiness', name), target, { recursive: true });
  return target;
}

describe('shipshape report (command module)', function () {
  this.timeout(30000);
  const made: string[] = [];
  after(() => made.forEach((directory) => fs.rmSync(directory, { recursive: true, force: true })));

  it('prints the Markdown report of the current folder with no findings or routes supplied', async () => {
    const folder = scratchCopy('production-grade');
    made.push(folder);
    const io = captureIo();
    const code = await runReportCommand(parseCliOptions(['report']), io, { cwd: folder, rulesDirectory, now: ASSESSED_AT });
    assert.equal(code, 0);
    assert.match(io.out, /^# Production readiness: 🥇 Gold\n/);
    // Without git, the route inventory or input analysis, those checks are unknown, never failures.
    assert.match(io.out, /#### ❔ Unknown: No \.env file committed[\s\S]*?Git is not available here/);
    assert.match(io.out, /#### ❔ Unknown: Routes that change data check who is calling/);
    assert.match(io.out, /✅ Pass: \*\*Health check endpoint\*\*[^\n]*src\/server\.ts:24/);
  });

  it('writes JSON with --format json --output, and runs the real secret scan', async () => {
    const folder = scratchCopy('bare-prototype');
    made.push(folder);
    fs.writeFileSync(path.join(folder, 'config.js'), "app.use(session({ secret: 'x7Kq9Lm2Pz4Rt8Vw1Ys6Nb3Hc5' }));\nexports.sign = (user) => jwt.sign(user, 'Qw8Zr3Lp5Nt7Vx2Ky9Mb4Hd6');\n");
    const io = captureIo();
    const code = await runReportCommand(parseCliOptions(['report', '.', '--format', 'json', '--output', 'readiness.json']), io, { cwd: folder, rulesDirectory, now: ASSESSED_AT });
    assert.equal(code, 0);
    assert.equal(io.out, '');
    assert.match(io.err, /Readiness: no level yet; report written to readiness\.json/);
    const report = JSON.parse(fs.readFileSync(path.join(folder, 'readiness.json'), 'utf8')) as ReadinessReport;
    assert.equal(report.level, 'none');
    const check = (id: string) => report.units[0].checks.find((candidate) => candidate.id === id)!;
    assert.equal(check('readiness/supabase-rls').status, 'fail');
    assert.equal(check('readiness/hardcoded-auth-secret').status, 'fail');
    assert.ok(check('readiness/hardcoded-auth-secret').evidence.some((evidence) => evidence.file === 'config.js'));
    assert.equal(check('readiness/unauthenticated-writes').status, 'unknown');
    for (const secret of ['x7Kq9Lm2Pz4Rt8Vw1Ys6Nb3Hc5', 'Qw8Zr3Lp5Nt7Vx2Ky9Mb4Hd6', 'keyboard cat']) assert.ok(!JSON.stringify(report).includes(secret), 'the report must not contain a secret');
  });

  it('takes a folder argument and reports each unit of a monorepo', async () => {
    const folder = scratchCopy('monorepo');
    made.push(folder);
    const io = captureIo();
    await runReportCommand(parseCliOptions(['report', path.basename(folder)]), io, { cwd: path.dirname(folder), rulesDirectory, now: ASSESSED_AT });
    assert.match(io.out, /## Units/);
    assert.match(io.out, /`apps\/web` @acme\/web/);
  });

  it('uses routes and findings when the caller supplies them', async () => {
    const folder = scratchCopy('half-ready');
    made.push(folder);
    const io = captureIo();
    await runReportCommand(parseCliOptions(['report', '--format', 'json']), io, {
      cwd: folder,
      rulesDirectory,
      now: ASSESSED_AT,
      analyse: async () => ({
        findings: [],
        routes: [{ method: 'POST', path: '/api/todos', framework: 'nextjs-app', file: 'app/api/todos/route.ts', range: { start: { line: 2, character: 0 }, end: { line: 2, character: 10 } }, auth: 'unauthenticated', evidence: [], stateChanging: true }],
      }),
    });
    const report = JSON.parse(io.out) as ReadinessReport;
    assert.equal(report.units[0].checks.find((check) => check.id === 'readiness/unauthenticated-writes')!.status, 'fail');
    assert.equal(report.units[0].checks.find((check) => check.id === 'readiness/injection')!.status, 'pass');
  });

  it('rejects SARIF, files and missing folders as usage errors', async () => {
    const io = captureIo();
    await assert.rejects(runReportCommand(parseCliOptions(['report', '--format', 'sarif']), io, { cwd: repoRoot, rulesDirectory }), UsageError);
    await assert.rejects(runReportCommand(parseCliOptions(['report', 'package.json']), io, { cwd: repoRoot, rulesDirectory }), UsageError);
    await assert.rejects(runReportCommand(parseCliOptions(['report', 'no/such/folder']), io, { cwd: repoRoot, rulesDirectory }), UsageError);
  });
});
