import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyseFiles, type FolderAnalysis } from '../../../server/src/cli/analyseFolder';
import { defaultConfig } from '../../../server/src/engine/config/shipshapeConfig';
import { walkWorkspace } from '../../../server/src/workspace/fileWalker';
import { repoRoot, rulesDirectory } from '../helpers';

/**
 * A folder scan leaves the route facts of files that can only hold auth helpers until a file
 * with route facts refers to them. It must link exactly what reading every file would.
 */
async function analyse(root: string, deferAuthHelpers: boolean): Promise<FolderAnalysis> {
  const files = walkWorkspace(root).files;
  return analyseFiles(files, defaultConfig(), { rulesDirectory, workerScript: '', jobs: 1, workspaceRules: false, deferAuthHelpers });
}

/** What a user sees of the routes: each route's auth and the route findings. */
function linked(analysis: FolderAnalysis) {
  return {
    routes: analysis.inventory.routes.map((route) => `${route.method} ${route.path} ${route.file} → ${route.auth}`).sort(),
    findings: analysis.findings.map((finding) => `${finding.file}:${finding.range.start.line + 1} ${finding.ruleId}`).sort(),
  };
}

describe('CLI scan: auth helpers read only when a route file needs them', function () {
  this.timeout(60_000);

  it('a helper two imports away decides the route, and a helper nobody imports is never read', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-helpers-'));
    try {
      fs.mkdirSync(path.join(root, 'src', 'lib'), { recursive: true });
      fs.writeFileSync(path.join(root, 'src', 'server.js'), "const express = require('express');\nconst { requireUser } = require('./lib/guard');\nconst app = express();\napp.post('/orders', requireUser, (req, res) => res.json({ ok: true }));\napp.post('/open', (req, res) => res.json({ ok: true }));\napp.listen(3000);\n");
      // No framework import: "user" and a 403 make it a helpers-only file; it checks no identity itself but calls a helper that does.
      fs.writeFileSync(path.join(root, 'src', 'lib', 'guard.js'), "const { sessionUser } = require('./session');\nfunction requireUser(req, res, next) {\n  sessionUser(req, res);\n  if (req.method === 'TRACE') return res.status(403).end();\n  next();\n}\nmodule.exports = { requireUser };\n");
      fs.writeFileSync(path.join(root, 'src', 'lib', 'session.js'), "function sessionUser(req, res) {\n  if (!req.session || !req.session.user) return res.status(401).json({ error: 'sign in' });\n  return req.session.user;\n}\nmodule.exports = { sessionUser };\n");
      fs.writeFileSync(path.join(root, 'src', 'lib', 'unused.js'), "function checkToken(token) {\n  if (!token) throw Object.assign(new Error('Unauthorized'), { status: 401 });\n}\nmodule.exports = { checkToken };\n");

      const deferred = await analyse(root, true);
      assert.deepEqual(deferred.outcome.deferredRouteFacts?.map((file) => file.relative).sort(), ['src/lib/guard.js', 'src/lib/session.js', 'src/lib/unused.js']);
      const read = deferred.outcome.routeFacts.map((facts) => facts.file).sort();
      assert.deepEqual(read, ['src/lib/guard.js', 'src/lib/session.js', 'src/server.js']);
      assert.deepEqual(linked(deferred).routes, ['POST /open src/server.js → unauthenticated', 'POST /orders src/server.js → authenticated']);
      assert.deepEqual(linked(deferred), linked(await analyse(root, false)));
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('a module exporting a path constant is read when a route file imports it', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-constants-'));
    try {
      fs.mkdirSync(path.join(root, 'src'));
      fs.writeFileSync(path.join(root, 'src', 'config.js'), "export const API_PREFIX = '/api/v1';\n");
      fs.writeFileSync(path.join(root, 'src', 'unused.js'), "export const OTHER_PREFIX = '/other';\n");
      fs.writeFileSync(path.join(root, 'src', 'app.js'), "import express from 'express';\nimport { API_PREFIX } from './config.js';\nconst app = express();\napp.delete(`${API_PREFIX}/users/:id`, (req, res) => res.end());\napp.listen(3000);\n");
      const deferred = await analyse(root, true);
      assert.deepEqual(deferred.outcome.deferredRouteFacts?.map((file) => file.relative).sort(), ['src/config.js', 'src/unused.js']);
      assert.deepEqual(deferred.outcome.routeFacts.map((facts) => facts.file).sort(), ['src/app.js', 'src/config.js']);
      assert.deepEqual(linked(deferred).routes, ['DELETE /api/v1/users/:id src/app.js → unauthenticated']);
      assert.deepEqual(linked(deferred), linked(await analyse(root, false)));
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  const folders = [
    ...fs.readdirSync(path.join(repoRoot, 'test', 'fixtures', 'routes')).map((name) => path.join('routes', name)),
    'sample-app',
    'integration-app',
  ];
  for (const folder of folders) {
    it(`links the same routes and findings as reading every file: ${folder}`, async () => {
      const root = path.join(repoRoot, 'test', 'fixtures', folder);
      assert.deepEqual(linked(await analyse(root, true)), linked(await analyse(root, false)));
    });
  }
});
