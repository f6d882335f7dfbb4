import * as assert from 'node:assert/strict';
import { defaultConfig } from '../../../../server/src/engine/config/shipshapeConfig';
import { assessReadiness } from '../../../../server/src/engine/readiness/assessReadiness';
import { Workspace } from '../../../../server/src/engine/readiness/workspace';
import type { ReadinessInput } from '../../../../server/src/engine/readiness/types';
import { BoundedCache } from '../../../../server/src/engine/text/boundedCache';
import { ASSESSED_AT } from './readinessHelpers';

/** A monorepo without a root manifest: `units` Express apps, and `sharedFiles` scripts at the root that no unit owns. */
function monorepo(units: number, sharedFiles: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let unit = 0; unit < units; unit++) {
    files[`apps/app${unit}/package.json`] = JSON.stringify({ name: `app${unit}`, dependencies: { express: '^4.21.0' } });
    files[`apps/app${unit}/server.js`] = "const express = require('express');\nconst app = express();\napp.listen(3000);\n";
  }
  for (let file = 0; file < sharedFiles; file++) files[`scripts/task${file}.js`] = `console.log('task ${file}');\n`;
  files['scripts/shutdown.js'] = "process.on('SIGTERM', () => process.exit(0));\n";
  return files;
}

function countingInput(files: Record<string, string>, reads: Map<string, number>): ReadinessInput {
  return {
    root: '/monorepo',
    files: Object.keys(files),
    read: (file) => {
      reads.set(file, (reads.get(file) ?? 0) + 1);
      return files[file];
    },
    findings: [],
    config: defaultConfig(),
    now: ASSESSED_AT,
  };
}

describe('readiness assessment of large workspaces', () => {
  it('reads each file once when the workspace fits the memory budget', () => {
    const reads = new Map<string, number>();
    const report = assessReadiness(countingInput(monorepo(12, 300), reads));
    assert.equal(report.units.length, 12);
    assert.deepEqual([...reads].filter(([, count]) => count > 1), [], 'no file is read twice');
  });

  it('searches the shared files once, not once per unit, and gives the same report when nothing fits the budget', () => {
    const sharedReads = (units: number) => {
      const reads = new Map<string, number>();
      const report = assessReadiness(countingInput(monorepo(units, 50), reads), undefined, { textBudget: 0 });
      return { reads: reads.get('scripts/task7.js') ?? 0, report };
    };
    const one = sharedReads(1);
    const many = sharedReads(12);
    assert.ok(one.reads > 0);
    assert.equal(many.reads, one.reads, 'the shared file is read as often with 12 units as with 1');
    const cached = assessReadiness(countingInput(monorepo(12, 50), new Map()));
    assert.deepEqual(many.report.units, cached.units);
  });

  it('gives every unit the evidence found in the shared files', () => {
    const report = assessReadiness(countingInput(monorepo(5, 20), new Map()));
    for (const unit of report.units) {
      const shutdown = unit.checks.find((check) => check.id === 'readiness/graceful-shutdown');
      assert.equal(shutdown?.status, 'pass', `${unit.path}: ${shutdown?.status}`);
      assert.deepEqual(shutdown?.evidence.map((evidence) => evidence.file), ['scripts/shutdown.js']);
    }
  });

  it('keeps a unit\'s own evidence ahead of the shared files\'', () => {
    const files = monorepo(3, 5);
    files['apps/app1/server.js'] += "process.once('SIGTERM', () => server.close());\n";
    const report = assessReadiness(countingInput(files, new Map()));
    const evidence = (path: string) => report.units.find((unit) => unit.path === path)!.checks.find((check) => check.id === 'readiness/graceful-shutdown')!.evidence.map((item) => item.file);
    assert.deepEqual(evidence('apps/app1'), ['apps/app1/server.js', 'scripts/shutdown.js']);
    assert.deepEqual(evidence('apps/app0'), ['scripts/shutdown.js']);
  });

  it('gives each file to the unit in its nearest folder', () => {
    const files = {
      'package.json': JSON.stringify({ name: 'root', dependencies: { express: '^4.21.0' } }),
      'index.js': '',
      'packages/web/package.json': JSON.stringify({ name: 'web' }),
      'packages/web/src/page.js': '',
      'packages/web/plugins/extra/package.json': JSON.stringify({ name: 'extra' }),
      'packages/web/plugins/extra/index.js': '',
      'packages/webby/index.js': '',
    };
    const workspace = new Workspace(countingInput(files, new Map()));
    const unit = (path: string) => workspace.scopeOf(workspace.units.find((candidate) => candidate.path === path)!);
    assert.deepEqual(workspace.units.map((candidate) => candidate.path).sort(), ['.', 'packages/web', 'packages/web/plugins/extra']);
    assert.ok(workspace.inScope(unit('packages/web'), 'packages/web/src/page.js'));
    assert.ok(!workspace.inScope(unit('packages/web'), 'packages/web/plugins/extra/index.js'));
    assert.ok(workspace.inScope(unit('packages/web/plugins/extra'), 'packages/web/plugins/extra/index.js'));
    assert.ok(workspace.inScope(unit('.'), 'packages/webby/index.js'), 'a folder whose name starts like a unit\'s is not that unit\'s');
    assert.ok(!workspace.inScope(unit('.'), 'packages/web/src/page.js'));
    assert.ok(workspace.inScope(workspace.workspaceScope(), 'packages/web/src/page.js'));
    assert.ok(!workspace.inScope(workspace.workspaceScope(), 'not/in/the/workspace.js'));
  });
});

describe('BoundedCache', () => {
  it('computes once what fits and evicts the least recently used beyond the budget', () => {
    let computed = 0;
    const cache = new BoundedCache<string>(10, (text) => text.length);
    const get = (key: string, value: string) => cache.get(key, () => {
      computed++;
      return value;
    });
    get('a', 'aaaa');
    get('b', 'bbbb');
    assert.equal(get('a', 'changed'), 'aaaa', 'a hit returns the kept value');
    get('c', 'cccc');
    assert.equal(cache.cost, 8);
    assert.equal(computed, 3);
    assert.equal(get('b', 'b2'), 'b2', 'b was the least recently used and is gone');
    assert.equal(get('a', 'a2'), 'aaaa', 'a was used recently and stays');
    assert.ok(cache.cost <= 10);
  });

  it('returns but does not keep a value larger than the whole budget', () => {
    const cache = new BoundedCache<string>(4, (text) => text.length);
    assert.equal(cache.get('big', () => 'x'.repeat(100)), 'x'.repeat(100));
    assert.equal(cache.size, 0);
    assert.equal(cache.get('big', () => 'again'), 'again');
  });
});
