import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { builtinAnalyzer } from '../helpers';
import { ModuleSinkCache } from '../../../server/src/workspace/moduleSinkCache';

/**
 * Whatever a user types or stores, the engine returns: it never throws, never hangs, and its
 * time per KB stays bounded (no input makes it super-linear).
 */
describe('engine robustness (property tests)', function () {
  this.timeout(120_000);
  const analyzer = builtinAnalyzer();
  const files = ['src/app.ts', 'src/page.tsx', 'app.py', '.env', 'config.yml', 'data.json', 'Dockerfile', 'notes.txt', 'src/routes/users.js'];

  /** Analyses and returns ms per KB, asserting the result is well-formed. */
  const analyse = (text: string, file: string): number => {
    const started = process.hrtime.bigint();
    const result = analyzer.analyzeFile({ path: file, text });
    const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
    assert.ok(Array.isArray(result.findings));
    for (const finding of result.findings) {
      assert.ok(finding.startOffset >= 0 && finding.endOffset <= text.length && finding.startOffset <= finding.endOffset, `bad offsets in ${finding.ruleId}`);
      assert.ok(finding.range.start.line >= 0);
    }
    assert.equal(result.failures, undefined, `a detector failed: ${JSON.stringify(result.failures)}`);
    return elapsed / Math.max(1, text.length / 1024);
  };

  const tokens = ['const', 'let', 'function', 'async', 'await', 'export', 'default', 'import', 'from', "'express'", 'router', 'app', '.', ',', ';', '(', ')', '{', '}', '[', ']', '=>', '=', '+', '`', '${', "'", '"', 'req', 'res', 'body', 'query', 'post', 'get', 'use', "'/x'", 'jwt', 'verify', 'decode', 'exec', 'eval', 'sk_live_', 'AKIA', 'password', '=', '\n', ' ', '@Controller', '@Post', 'class', 'if', 'return', 'status', '401', '//', '/*', '*/', "'use server'", "'use client'", 'shipshape-ignore', 'shipshape-public:', 'SELECT * FROM t WHERE id = ', 'pool.query', 'new', 'Hono', 'fastify', 'register', 'prefix',
    // pages/api handlers read once per method: branches and switches on req.method.
    'req.method', '===', '!==', "'POST'", "'GET'", "'DELETE'", 'switch', 'case', 'default:', 'break', 'throw', '.includes(', '&&', '||', '!', 'else',
    // Platform functions: Deno.serve, std/http serve, Firebase onCall/onRequest, Netlify handlers, Supabase filters.
    'Deno.serve', 'serve', "'https://deno.land/std@0.168.0/http/server.ts'", "'npm:@supabase/supabase-js@2'", 'createClient', 'onCall', 'onRequest', "'firebase-functions/v2/https'",
    'functions.https', 'request.auth', 'context.auth', 'HttpsError', 'handler', 'event.body', 'event.httpMethod', 'statusCode', "'OPTIONS'", '.or(', 'title.ilike.%', 'export const config', 'path:'];

  it('never throws on arbitrary text, in any file type', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), fc.constantFrom(...files), (text, file) => {
      analyse(text, file);
    }), { numRuns: 400 });
  });

  it('never throws on JS/TS-like token soup', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(...tokens), { maxLength: 400 }), fc.constantFrom('src/a.ts', 'app/api/x/route.ts', 'pages/api/y.js', 'src/routes/+server.ts', 'src/middleware.ts', 'supabase/functions/x/index.ts', 'functions/src/index.ts', 'netlify/functions/x.ts', 'api/users/[id].ts'), (parts, file) => {
      analyse(parts.join(' '), file);
    }), { numRuns: 400 });
  });

  it('never throws when a handler and the modules it imports are token soup', () => {
    // A handler that surely calls its modules with input, and two modules of arbitrary text that import each other.
    const handler = (soup: string) => `const m = require('./m');\nconst { n } = require('./n');\nrequire('express')().post('/x', (req, res) => { m.run(req.body.a); n(req.query.b); m.default(req.params); ${soup} });\n`;
    fc.assert(fc.property(fc.array(fc.constantFrom(...tokens, "require('./n')", "require('./m')", 'module.exports', 'exports.run', 'export { run }'), { maxLength: 300 }), fc.array(fc.constantFrom(...tokens, "import { run } from './m'", 'export function run(a) {', 'export default'), { maxLength: 300 }), fc.array(fc.constantFrom(...tokens), { maxLength: 100 }), (first, second, soup) => {
      const modules: Record<string, string> = { '/w/src/m.js': first.join(' '), '/w/src/n.ts': second.join(' ') };
      const cache = new ModuleSinkCache({ stamp: (file) => (file in modules ? 'v' : undefined), text: (file) => modules[file] });
      const text = handler(soup.join(' '));
      const result = analyzer.analyzeFile({ path: 'src/app.js', text, importedModules: cache.resolverFor({ path: '/w/src/app.js', relative: 'src/app.js' }, analyzer) });
      assert.equal(result.failures, undefined, `a detector failed: ${JSON.stringify(result.failures)}`);
      for (const finding of result.findings) assert.ok(finding.startOffset >= 0 && finding.endOffset <= text.length && finding.startOffset <= finding.endOffset, `bad offsets in ${finding.ruleId}`);
    }), { numRuns: 300 });
  });

  it('handles NUL bytes, invalid UTF-8 decoded text and lone surrogates', () => {
    for (const text of ['\u0000'.repeat(10_000), `const k = '${'\uD800'.repeat(100)}sk_live_${'a1B2'.repeat(10)}'`, Buffer.from([0xff, 0xfe, 0x00, 0x41, 0xc3, 0x28]).toString('utf8').repeat(1000)]) {
      for (const file of files) analyse(text, file);
    }
  });

  it('keeps time per KB bounded on huge lines and deep nesting', () => {
    const cases: [string, string][] = [
      ['one 2 MB line', `const x = "${'a'.repeat(2 * 1024 * 1024)}";`],
      ['keyword storm on one line', 'key=secret token password '.repeat(40_000)],
      ['2,000-deep brackets', `const x = ${'('.repeat(2000)}1${')'.repeat(2000)};`],
      ['2,000-deep unclosed objects', `app.post('/x', ${'{ a: '.repeat(2000)}`],
      ['5,000 routes', Array.from({ length: 5000 }, (_, i) => `router.post('/r${i}', async (req, res) => { await db.x.create(req.body); res.end(); });`).join('\n')],
      ['long template literal', `pool.query(\`SELECT ${'${req.query.a} '.repeat(5000)}\`);`],
      ['minified bundle', `!function(){${'var a=1,b="sk_test_x",c=function(){return a+b};'.repeat(30_000)}}();`],
    ];
    for (const [name, text] of cases) {
      const msPerKb = analyse(text, name === 'minified bundle' ? 'dist/app.min.js' : 'src/app.ts');
      assert.ok(msPerKb < 5, `${name}: ${msPerKb.toFixed(3)} ms per KB`);
    }
  });
});
