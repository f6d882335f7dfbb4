import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LspSession, waitFor, waitForAsync } from './lspSession';
import type { RoutesRequest } from '../../server/src/protocol';

const STRIPE_KEY = 'sk_live_51NzQp2LkT8vRw3Ya9cHd6mBx4Jq7Fs1Ue0Gi5Ko2Pl8Wn3Ry6Tv9Zb4Xc7Md1Sf5';

/** A workspace of 5,000 files: the first analysis runs in the background, with progress, and the editor is served meanwhile. */
describe('language server over stdio: a large workspace', function () {
  this.timeout(180_000);
  let workspace: string;
  let session: LspSession;

  before(() => {
    workspace = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-large-')));
    fs.writeFileSync(path.join(workspace, 'package.json'), JSON.stringify({ name: 'large', dependencies: { express: '^4.19.2' } }));
    for (let index = 0; index < 5000; index++) {
      const folder = path.join(workspace, 'src', `module${Math.floor(index / 100)}`);
      fs.mkdirSync(folder, { recursive: true });
      const body = index % 10 === 0
        ? `import { Router } from 'express';\nexport const router${index} = Router();\nrouter${index}.post('/items/${index}', async (req, res) => {\n  res.json(await save(req.body));\n});\nasync function save(value: unknown) { return value; }\n`
        : `export function helper${index}(value: number): number {\n${'  value = value * 2 + 1;\n'.repeat(150)}  return value;\n}\n`;
      fs.writeFileSync(path.join(folder, `file${index}.ts`), body);
    }
  });

  after(async () => {
    await session?.shutdown();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('answers the editor while the first workspace analysis is still running, and reports progress', async () => {
    session = new LspSession();
    await session.initialize(workspace);
    const uri = `file://${workspace}/src/new.ts`;
    await session.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: `const k = '${STRIPE_KEY}';\n` } });
    const diagnostics = await waitFor(() => session.diagnostics.get(uri)?.diagnostics, 'diagnostics for the open document', 30_000);
    assert.equal(diagnostics[0].code, 'secret/stripe-secret-key');
    const during = (await session.connection.sendRequest('shipshape/routes')) as RoutesRequest.Result;
    assert.equal(during.complete, false, 'the document was answered before the workspace analysis finished');

    await waitFor(() => (session.progress.some((entry) => entry.value.kind === 'end') ? true : undefined), 'the progress to end', 150_000);
    const kinds = session.progress.map((entry) => entry.value.kind);
    assert.equal(kinds[0], 'begin');
    assert.ok(kinds.includes('report'), 'progress was reported while analysing');
    const reports = session.progress.filter((entry) => entry.value.kind === 'report');
    assert.match(reports[reports.length - 1].value.message ?? '', /^Analysing the workspace… \d+\/\d+ files$/);
    const finished = await waitForAsync(async () => {
      const result = (await session.connection.sendRequest('shipshape/routes')) as RoutesRequest.Result;
      return result.complete ? result : undefined;
    }, 'the workspace analysis to complete', 150_000);
    assert.equal(finished.routes.length, 500);
  });
});
