import * as assert from 'node:assert/strict';
import { inputRuleData } from '../../../../server/src/engine/input/ruleData';
import { fixtureRows, inputFindings, readFixture, type FixtureRow } from './inputTestHelpers';

/**
 * Realistic handlers per framework (test/fixtures/input/<framework>/), validated and not,
 * parameterised and concatenated. Each row: the fixture, the path it is analysed as (Next.js
 * needs its app/ path), the project's dependencies, and the exact findings: rule, line of the
 * sink, line the related information points at (the request input), and the quick fixes
 * offered. Every line not listed (the validated, parameterised and allowlisted handlers in
 * the same files) must have no finding.
 */
const TABLE: [fixture: string, file: string, dependencies: string[], findings: FixtureRow[]][] = [
  ['express/products.ts', 'src/routes/products.ts', ['express', 'pg', 'zod', 'express-validator'], [
    ['input/sql-injection', 12, 11], // ORDER BY ${sort}: an identifier position, so no parameter fix
    ['input/sql-injection', 35, 35, ['Pass the values as query parameters']], // name is not among the express-validator checks
    ['input/open-redirect', 49, 48],
  ]],
  ['express/files.ts', 'src/server.ts', ['express'], [
    ['input/path-traversal', 11, 11],
    ['input/path-traversal', 25, 25],
    ['input/command-injection', 31, 30],
    ['input/html-injection', 41, 41],
    ['input/ssrf', 45, 45],
  ]],
  ['express/users.js', 'src/controllers/users.js', ['express', 'mongoose', 'joi'], [
    ['input/mass-assignment', 14, 14],
    ['input/nosql-injection', 19, 19],
    ['input/nosql-injection', 25, 25],
  ]],
  ['next/app/api/orders/route.ts', 'app/api/orders/route.ts', ['next', '@prisma/client', 'zod'], [
    ['input/mass-assignment', 18, 17], // the only field read is the where clause's id: no pick, no schema
    ['input/sql-injection', 24, 23, ['Use $queryRaw with a tagged template']],
  ]],
  ['next/app/api/files/route.ts', 'app/api/files/route.ts', ['next'], [
    ['input/path-traversal', 16, 14],
    ['input/open-redirect', 18, 14],
  ]],
  ['next/app/search/page.tsx', 'app/search/page.tsx', ['next', 'pg'], [
    ['input/sql-injection', 6, 5, ['Pass the values as query parameters']],
    ['input/html-injection', 10, 5],
  ]],
  ['next/app/account/actions.ts', 'app/account/actions.ts', ['next', '@prisma/client', 'valibot'], [
    ['input/mass-assignment', 19, 17],
    ['input/sql-injection', 24, 23, ['Use $queryRaw with a tagged template']],
    ['input/open-redirect', 25, 25],
    ['input/sql-injection', 29, 32, ['Use $executeRaw with a tagged template']], // through auditLog()
  ]],
  ['fastify/server.ts', 'src/server.ts', ['fastify', 'pg', '@sinclair/typebox'], [
    ['input/sql-injection', 20, 19, ['Pass the values as query parameters']],
    ['input/command-injection', 30, 29],
    ['input/open-redirect', 36, 36],
  ]],
  ['hono/index.ts', 'src/index.ts', ['hono', 'drizzle-orm', 'zod'], [
    ['input/mass-assignment', 20, 19],
    ['input/sql-injection', 26, 25], // drizzle's sql.raw: no driver to parameterise for
    ['input/html-injection', 30, 30],
    ['input/open-redirect', 32, 32],
  ]],
  ['koa/routes.ts', 'src/routes.ts', ['koa', '@koa/router', 'mongoose'], [
    ['input/path-traversal', 11, 11],
    ['input/mass-assignment', 15, 15],
    ['input/html-injection', 21, 21],
    ['input/code-injection', 32, 31],
  ]],
  ['nest/users.controller.ts', 'src/users/users.controller.ts', ['@nestjs/common', '@prisma/client', 'class-validator'], [
    ['input/mass-assignment', 36, 35], // an interface is not validated by ValidationPipe
    ['input/sql-injection', 41, 40, ['Use $queryRaw with a tagged template']],
    ['input/path-traversal', 46, 45],
  ]],
  ['nest/tools.controller.ts', 'src/tools/tools.controller.ts', ['@nestjs/common'], [
    ['input/command-injection', 10, 6], // in this.run(), called with the query parameter
  ]],
  ['helpers/reports.ts', 'src/reports.ts', ['express', 'pg'], [
    ['input/command-injection', 12, 26], // inside runReport(), called from the handler
    ['input/sql-injection', 20, 24], // built by buildFilter(), run by findRows()
  ]],
  ['unrecognised/worker.ts', 'src/worker.ts', ['pg'], []],
  // Web-standard request handlers: Supabase Edge Functions (Deno, packages by URL), Deno.serve, Workers, Bun.serve.
  ['edge/supabase-function.ts', 'supabase/functions/search/index.ts', [], [
    ['input/supabase-filter-injection', 12, 10],
    ['input/ssrf', 16, 10],
  ]],
  ['edge/deno-serve.ts', 'server/main.ts', [], [
    ['input/sql-injection', 13, 12, ['Pass the values as query parameters']], // postgres.js by npm: specifier; the number is fine
  ]],
  ['edge/worker.ts', 'src/index.ts', [], [
    ['input/open-redirect', 10, 9],
    ['input/html-injection', 12, 11],
  ]],
  // Firebase Cloud Functions: callables (v2 request.data, v1 data) and an HTTP function.
  ['firebase/index.ts', 'functions/src/index.ts', ['firebase-functions', 'firebase-admin'], [
    ['input/command-injection', 11, 11], // execFile with an argument list is fine
    ['input/ssrf', 18, 18],
    ['input/open-redirect', 24, 24],
    ['input/command-injection', 29, 29], // a handler handed to onCall by name
  ]],
  // A Netlify function (v1): event.body, event.queryStringParameters.
  ['netlify/functions.ts', 'netlify/functions/subscribe.ts', ['pg', '@netlify/functions'], [
    ['input/sql-injection', 9, 8, ['Pass the values as query parameters']],
  ]],
  // Cloudflare Pages Functions: the context's request and params (D1's prepare() is SQL).
  ['cloudflare/search.ts', 'functions/api/search.ts', [], [
    ['input/ssrf', 3, 2],
  ]],
  ['cloudflare/user.ts', 'functions/api/users/[id].ts', [], [
    ['input/sql-injection', 4, 4], // D1's prepare(): not among the drivers the parameter fix knows
  ]],
  ['edge/bun-server.ts', 'src/server.ts', [], [
    ['input/sql-injection', 10, 9], // bun:sqlite is not among the drivers the parameter fix knows
  ]],
];

describe('input analysis: Netlify functions by their place', () => {
  const text = "import { exec } from 'node:child_process';\nexport default async (req: Request) => {\n  const { cmd } = await req.json();\n  exec(cmd);\n  return new Response('ok');\n};\n";
  for (const [file, expected] of [
    ['netlify/functions/run.ts', ['input/command-injection@4']],
    ['netlify/functions/run/index.mts', ['input/command-injection@4']],
    ['netlify/functions/run/run.js', ['input/command-injection@4']],
    ['netlify/functions/run/helpers.ts', []], // a helper beside the function, not a function
    ['src/netlify.ts', []],
  ] as const) {
    it(`${file}: ${expected.length ? 'a function' : 'not a function'}`, () => {
      assert.deepEqual(inputFindings(text, file, []).map((finding) => `${finding.ruleId}@${finding.range.start.line + 1}`), expected);
    });
  }
});

describe('input analysis: framework fixtures', () => {
  for (const [fixture, file, dependencies, expected] of TABLE) {
    it(`${fixture}: exactly the expected findings`, () => {
      assert.deepEqual(fixtureRows(inputFindings(readFixture(fixture), file, dependencies)), expected);
    });
  }

  it('every finding carries its rule\'s severity, documentation and a founder-readable message', () => {
    const severities = new Map(inputRuleData().rules.map((rule) => [rule.id, rule.severity]));
    for (const [fixture, file, dependencies] of TABLE) {
      for (const finding of inputFindings(readFixture(fixture), file, dependencies)) {
        if (finding.ruleId !== 'input/path-traversal' || !/exists|stat|access/.test(finding.message)) assert.equal(finding.severity, severities.get(finding.ruleId), `${fixture}: ${finding.ruleId}`);
        assert.match(finding.docsUrl ?? '', /#input-/);
        assert.match(finding.message, /^The .+?( \(.+\))?(, passed to \w+\(\),)? goes straight into .+: .+\. .+\.$/);
        assert.ok(finding.related?.every((related) => related.file === file));
      }
    }
  });
});
