import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyseFiles, analyseWorkspace, authFindings, routeFixtures, routeTable } from './routeFixtures';
import { applyFix } from './applyFix';
import { defaultConfig } from '../../../../server/src/engine/config/shipshapeConfig';
import { RouteIndex } from '../../../../server/src/engine/routes/routeIndex';
import { builtinAnalyzer } from '../../helpers';

describe('route findings: fixes, configuration and code mid-edit', () => {
  const express = path.join(routeFixtures, 'express');

  it('"Require authentication" inserts the project\'s own middleware and its import', () => {
    const workspace = analyseWorkspace(express);
    const file = 'src/routes/webhooks.ts';
    const finding = workspace.findings.get(file)!.find((candidate) => candidate.ruleId === 'auth/unauthenticated-route')!;
    const fixed = applyFix(workspace.texts.get(file)!, finding, 'Require authentication (requireAuth)');
    assert.match(fixed, /^import Stripe from 'stripe';\nimport \{ requireAuth \} from '\.\.\/middleware\/auth';\n/m);
    assert.match(fixed, /router\.post\('\/github', requireAuth, async \(req, res\) => \{/);
    assert.equal(finding.fixes?.find((hint) => hint.kind === 'edit' && hint.title.startsWith('Require'))?.kind === 'edit' && (finding.fixes[0] as { preferred?: boolean }).preferred, true);
  });

  it('"Mark as public" adds the annotation, and once it has a reason the route is public and the finding gone', () => {
    const workspace = analyseWorkspace(express);
    const file = 'src/routes/webhooks.ts';
    const finding = workspace.findings.get(file)!.find((candidate) => candidate.ruleId === 'auth/unauthenticated-route')!;
    const marked = applyFix(workspace.texts.get(file)!, finding, 'Mark this route as public');
    assert.match(marked, /\n\/\/ shipshape-public: <why anyone may call this>\nrouter\.post\('\/github'/);

    const analyzer = builtinAnalyzer();
    const index = workspace.index;
    const reanalyse = (text: string) => {
      index.update(file, analyzer.analyzeFile({ path: file, text }).routeFacts);
      return analyzer.analyzeFile({ path: file, text, workspaceFindings: () => index.findingsFor(file, defaultConfig()) }).findings.filter((f) => !f.suppression).map((f) => f.ruleId);
    };
    assert.deepEqual(reanalyse(marked), ['config/suppression-without-reason'], 'a placeholder reason is no reason');
    assert.deepEqual(reanalyse(marked.replace('<why anyone may call this>', 'GitHub signs it; verified in the worker')), []);
  });

  // Platform functions: the fix writes the platform's own check into the handler, and the route is authenticated after it.
  const PLATFORM_FIXES: [fixture: string, file: string, title: string, written: RegExp[]][] = [
    ['supabase-functions', 'supabase/functions/search/index.ts', 'Require a signed-in user (supabase.auth.getUser())', [
      // After the CORS preflight answer, which comes without credentials.
      /if \(req\.method === "OPTIONS"\) return new Response\(null, \{ headers: corsHeaders \}\);\n  \/\/ Supabase lets anyone with the public anon key call this: check who the caller is\.\n  const \{ data: \{ user \} \} = await createClient\(/,
      /Authorization: req\.headers\.get\("Authorization"\) \?\? "" \} \},\n  \}\)\.auth\.getUser\(\);\n  if \(!user\) return new Response\("Unauthorized", \{ status: 401 \}\);\n/,
    ]],
    ['supabase-functions', 'supabase/functions/send-email/index.ts', 'Require a signed-in user (supabase.auth.getUser())', [
      /^import \{ Resend \} from "npm:resend";\nimport \{ createClient \} from "npm:@supabase\/supabase-js@2";\n/,
      /async function handler\(req: Request\): Promise<Response> \{\n  \/\/ Supabase lets anyone/,
    ]],
    ['firebase-functions', 'functions/src/index.ts', 'Require a signed-in user (request.auth)', [
      /^import \{ onCall, onRequest, HttpsError \} from "firebase-functions\/v2\/https";$/m,
      /export const deleteAccount = onCall\(async \(request\) => \{\n  if \(!request\.auth\) throw new HttpsError\("unauthenticated", "Sign in first\."\);\n  await admin/,
    ]],
  ];
  for (const [fixture, file, title, written] of PLATFORM_FIXES) {
    it(`"${title}" in ${file} writes the check, and the route is authenticated after it`, () => {
      const workspace = analyseWorkspace(path.join(routeFixtures, fixture));
      const unauthenticated = () => workspace.findings.get(file)!.filter((candidate) => candidate.ruleId === 'auth/unauthenticated-route');
      const [finding] = unauthenticated();
      const fixed = applyFix(workspace.texts.get(file)!, finding, title);
      for (const pattern of written) assert.match(fixed, pattern);
      const analyzer = builtinAnalyzer();
      workspace.index.update(file, analyzer.analyzeFile({ path: file, text: fixed }).routeFacts);
      const route = workspace.index.inventory(defaultConfig()).routes.find((candidate) => candidate.path === finding.properties?.path);
      assert.equal(route?.auth, 'authenticated', fixed);
      assert.ok(route?.evidence.some((evidence) => /the handler/.test(evidence.description)), JSON.stringify(route?.evidence));
    });
  }

  it('"Require a signed-in user" in a v1 callable uses context.auth and the namespace\'s HttpsError', () => {
    const file = 'functions/src/index.ts';
    const text = "import * as functions from 'firebase-functions/v1';\n\nexport const wipe = functions.region('europe-west1').https.onCall(async (data, context) => {\n  await wipeTeam(data.teamId);\n});\n";
    const workspace = analyseFiles({ [file]: text });
    const finding = workspace.findings.get(file)!.find((candidate) => candidate.ruleId === 'auth/unauthenticated-route')!;
    const fixed = applyFix(text, finding, 'Require a signed-in user (context.auth)');
    assert.match(fixed, /onCall\(async \(data, context\) => \{\n  if \(!context\.auth\) throw new functions\.https\.HttpsError\("unauthenticated", "Sign in first\."\);\n  await wipeTeam/);
    assert.deepEqual(routeTable(analyseFiles({ [file]: fixed }).inventory), ['POST /wipe → authenticated']);
  });

  it('publicPaths and authFunctions from .shipshape.json change the decision', () => {
    const config = { ...defaultConfig(), publicPaths: ['/api/webhooks/*'], authFunctions: ['getUserFromRequest'] };
    const workspace = analyseWorkspace(express, config);
    const table = routeTable(workspace.inventory);
    assert.ok(table.includes('POST /api/webhooks/github → public'), table.join('\n'));
    assert.ok(!authFindings(workspace).some((finding) => finding.startsWith('src/routes/webhooks.ts')));
  });

  it('code mid-edit never throws, and findings elsewhere do not flicker', () => {
    const workspace = analyseWorkspace(express);
    const analyzer = builtinAnalyzer();
    const index = workspace.index;
    const file = 'src/routes/users.ts';
    const original = workspace.texts.get(file)!;
    const before = authFindings(workspace).filter((finding) => finding.startsWith('src/routes/webhooks.ts'));
    // Type the file character by character from a truncated point: every prefix is broken code.
    for (let cut = original.length - 400; cut < original.length; cut += 7) {
      const partial = original.slice(0, cut);
      const result = analyzer.analyzeFile({ path: file, text: partial });
      index.update(file, result.routeFacts);
      const other = index.findingsFor('src/routes/webhooks.ts', defaultConfig()).map((finding) => `src/routes/webhooks.ts:${finding.range.start.line + 1} ${finding.ruleId}`);
      assert.deepEqual(other, before, `after typing to offset ${cut}`);
    }
    for (const broken of ['router.post(', 'router.post("/x", async (req, res) => {', 'app.use(', '@Controller(', 'export async function POST(', ')))}}}']) {
      assert.doesNotThrow(() => analyzer.analyzeFile({ path: 'src/broken.ts', text: `import { Router } from 'express';\nconst router = Router();\n${broken}` }));
    }
  });

  it('re-analysing one file re-parses only that file', () => {
    const analyzer = builtinAnalyzer();
    const index = new RouteIndex();
    const workspace = analyseWorkspace(express);
    for (const [file, text] of workspace.texts) index.update(file, analyzer.analyzeFile({ path: file, text }).routeFacts);
    const untouched = index.factsOf('src/app.ts');
    index.update('src/routes/users.ts', analyzer.analyzeFile({ path: 'src/routes/users.ts', text: workspace.texts.get('src/routes/users.ts')! + '\n' }).routeFacts);
    assert.equal(index.factsOf('src/app.ts'), untouched, 'facts of other files are reused as they are');
    assert.equal(routeTable(index.inventory(defaultConfig())).length, 17);
  });

  it('files in frameworks it does not know produce no guesses', () => {
    const analyzer = builtinAnalyzer();
    const text = "const server = createServer();\nserver.post('/orders', (req, res) => res.end());\nmyFramework.route('/x').post(() => 1);\n";
    assert.equal(analyzer.analyzeFile({ path: 'src/server.ts', text }).routeFacts?.routers.length ?? 0, 0);
  });
});
