import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { defaultConfig } from '../../../server/src/engine/config/shipshapeConfig';
import { readinessPrefilterKeywords } from '../../../server/src/engine/readiness/catalog';
import { walkWorkspace } from '../../../server/src/workspace/fileWalker';
import { createAnalyzer, parseWorkerStarter, scanOptionsFor, type ScanJob } from '../../../server/src/workspace/parallelScan';
import { scanWithParseWorkers, type ParseWorkerChannel } from '../../../server/src/workspace/parseWorkers';
import { scanFiles, type ScanOutcome } from '../../../server/src/workspace/workspaceScan';
import { repoRoot, rulesDirectory } from '../helpers';

/** The built CLI bundle doubles as the parse worker (npm test builds it first). */
const cli = path.join(repoRoot, 'server', 'out', 'cli.js');

function jobFor(root: string): ScanJob {
  return { rulesDirectory, config: defaultConfig(), workspaceRules: false, deferAuthHelpers: true, readinessKeywords: readinessPrefilterKeywords(), files: walkWorkspace(root).files };
}

/** Every list of the outcome in one order, whichever thread analysed which file. */
function normalised(outcome: ScanOutcome) {
  const sorted = (list: unknown[] | undefined) => list?.map((item) => JSON.stringify(item, (_key, value) => (value instanceof Uint32Array ? [...value] : value))).sort();
  return { ...outcome, findings: sorted(outcome.findings), skipped: sorted(outcome.skipped), limited: sorted(outcome.limited), routeFacts: sorted(outcome.routeFacts), deferredRouteFacts: sorted(outcome.deferredRouteFacts), keywordsFound: sorted(outcome.keywordsFound) };
}

/** Starts workers with `start` and counts the files sent to them. */
function counting(start: (channel: ParseWorkerChannel) => Worker) {
  const counter = { sent: 0, factsRequests: 0, start: (channel: ParseWorkerChannel) => {
    const worker = start(channel);
    const post = worker.postMessage.bind(worker);
    worker.postMessage = (message: unknown) => {
      counter.sent++;
      if (message && typeof message === 'object' && 'factsOf' in message) counter.factsRequests++;
      post(message);
    };
    return worker;
  } };
  return counter;
}

describe('CLI scan on several threads: files that need a parse tree go to parse workers', function () {
  this.timeout(60_000);

  const folders = ['sample-app', 'integration-app', ...fs.readdirSync(path.join(repoRoot, 'test', 'fixtures', 'routes')).map((name) => path.join('routes', name))];
  for (const folder of folders) {
    it(`finds exactly what one thread finds: ${folder}`, async () => {
      const job = jobFor(path.join(repoRoot, 'test', 'fixtures', folder));
      const here = createAnalyzer(job);
      const alone = scanFiles(job.files, here, scanOptionsFor(job, here));
      const workers = counting(parseWorkerStarter(cli, job));
      const main = createAnalyzer(job);
      const shared = await scanWithParseWorkers(job.files, main, 1, workers.start, scanOptionsFor(job, main));
      assert.ok(workers.sent > 0, 'no file went to the parse worker');
      assert.ok(alone.findings.length > 0 || alone.routeFacts.length > 0, 'the folder gives nothing to compare');
      assert.deepEqual(normalised(shared), normalised(alone));
    });
  }

  it('reads the route facts of helpers a route file needs on the workers, and on this thread when they died', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-helpers-'));
    try {
      fs.mkdirSync(path.join(root, 'lib'));
      fs.writeFileSync(path.join(root, 'server.js'), "const express = require('express');\nconst { requireUser } = require('./lib/guard');\nconst app = express();\napp.post('/orders', requireUser, (req, res) => res.json({ ok: true }));\napp.listen(3000);\n");
      fs.writeFileSync(path.join(root, 'lib', 'guard.js'), "function requireUser(req, res, next) {\n  if (!req.session || !req.session.user) return res.status(401).end();\n  next();\n}\nmodule.exports = { requireUser };\n");
      const job = { ...jobFor(root), deferAuthHelpers: true };
      const starters: [string, (channel: ParseWorkerChannel) => Worker][] = [
        ['a worker', parseWorkerStarter(cli, job)],
        ['a worker that dies on its first file', () => new Worker("require('node:worker_threads').parentPort.on('message', () => process.exit(5))", { eval: true })],
      ];
      for (const [who, start] of starters) {
        const workers = counting(start);
        let facts: unknown;
        const main = createAnalyzer(job);
        await scanWithParseWorkers(job.files, main, 1, workers.start, scanOptionsFor(job, main), async (outcome, routeFactsOf) => {
          assert.deepEqual(outcome.deferredRouteFacts?.map((file) => file.relative), ['lib/guard.js']);
          facts = await routeFactsOf(outcome.deferredRouteFacts!);
        });
        // The live worker read the helper's facts (a dying one may or may not have been asked before its death was noticed).
        if (who === 'a worker') assert.equal(workers.factsRequests, 1, who);
        const here = createAnalyzer(job).routeFactsOf({ path: 'lib/guard.js', text: fs.readFileSync(path.join(root, 'lib', 'guard.js'), 'utf8') });
        assert.deepEqual(facts, [here], who);
        assert.equal((here.routeFacts?.functions ?? []).some((fn) => fn.name === 'requireUser' && fn.authCheck), true);
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  const dying = {
    'at once': "process.exit(3)",
    'on its first file': "require('node:worker_threads').parentPort.on('message', () => process.exit(4))",
    'by throwing': "require('node:worker_threads').parentPort.on('message', () => { throw new Error('worker bug') })",
  };
  for (const [when, script] of Object.entries(dying)) {
    it(`analyses a dead worker's files on the main thread: a worker that dies ${when}`, async () => {
      const job = jobFor(path.join(repoRoot, 'test', 'fixtures', 'sample-app'));
      const here = createAnalyzer(job);
      const alone = scanFiles(job.files, here, scanOptionsFor(job, here));
      const workers = counting(() => new Worker(script, { eval: true }));
      const main = createAnalyzer(job);
      const shared = await scanWithParseWorkers(job.files, main, 2, workers.start, scanOptionsFor(job, main));
      assert.ok(workers.sent > 0);
      assert.deepEqual(normalised(shared), normalised(alone));
    });
  }
});
