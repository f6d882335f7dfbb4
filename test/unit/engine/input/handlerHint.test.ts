import * as assert from 'node:assert/strict';
import { mayHoldHandler } from '../../../../server/src/engine/input/handlerHint';
import { inputRuleData } from '../../../../server/src/engine/input/ruleData';
import { inputFindings, summarise } from './inputTestHelpers';

/**
 * The text prefilter that keeps HTTP client code from being parsed must never drop a file
 * where a handler exists. Each case below is a handler found through one way only (no
 * framework import to lean on), and must still report its flow.
 */
const HANDLER_CASES: { name: string; file: string; text: string }[] = [
  {
    name: 'a request function passed to a registration call on a router handed in',
    file: 'src/routes/users.js',
    text: "module.exports = (router) => {\n  router.post('/users', async (req) => {\n    await db.query('SELECT * FROM users WHERE id = ' + req.body.id);\n  });\n};\n",
  },
  {
    name: 'a Fastify plugin with an options object before the handler',
    file: 'src/plugins/run.js',
    text: "module.exports = async function (fastify) {\n  fastify.post('/run', { config: { rateLimit: { max: 5 } } }, async (request) => {\n    require('child_process').exec('ls ' + request.query.dir);\n  });\n};\n",
  },
  {
    name: 'a typed request whose generic arguments hold commas, then a response',
    file: 'src/handlers/search.ts',
    text: "export default async function search(req: Request<{}, {}, { q: string }>, res: Response) {\n  const rows = await db.query(`SELECT * FROM items WHERE name = '${req.query.q}'`);\n  res.json(rows);\n}\n",
  },
  {
    name: 'an arrow with its own request type and a return type, registered on an app handed in',
    file: 'src/routes/admin.ts',
    text: "export function mount(app: App) {\n  app.delete('/items/:id', async (req: AuthedRequest): Promise<void> => {\n    await db.query('DELETE FROM items WHERE id = ' + req.params.id);\n  });\n}\n",
  },
  {
    name: 'a controller class method with typed (req, res) parameters and a return type',
    file: 'src/controllers/reports.ts',
    text: "export class ReportsController {\n  async export(req: AuthedRequest, res: Response): Promise<void> {\n    require('child_process').exec('zip reports.zip ' + req.query.name);\n    res.end();\n  }\n}\n",
  },
  {
    name: 'Koa middleware (ctx, next)',
    file: 'src/middleware/redirect.js',
    text: "module.exports = async (ctx, next) => {\n  ctx.redirect(ctx.query.to);\n  await next();\n};\n",
  },
  {
    name: 'an exported Next.js route function without imports',
    file: 'src/app/api/run/route.ts',
    text: "export async function POST(request: Request) {\n  const body = await request.json();\n  await db.query('DELETE FROM jobs WHERE id = ' + body.id);\n  return Response.json({ ok: true });\n}\n",
  },
];

const CLIENT_CODE: { name: string; text: string }[] = [
  {
    name: 'a fetch step handed its parameters and a response, and calls passing a request and a response',
    text: "function finalize(fetchParams, response) {\n  const request = fetchParams.request;\n  if (request.url.startsWith('blob:')) revoke(request.url);\n  log(request, response);\n  return exec(request.body, response);\n}\n",
  },
  {
    name: 'a retry/redirect pipeline policy',
    text: "export function redirectPolicy() {\n  return {\n    name: 'redirectPolicy',\n    async sendRequest(request, next) {\n      const response = await next(request);\n      const location = response.headers.get('location');\n      if (location) request.url = new URL(location, request.url).toString();\n      return next(request);\n    },\n  };\n}\n",
  },
  {
    name: 'a fetch wrapper that logs the request body',
    text: "export async function send(request, options) {\n  logger.info(request.body);\n  const result = await fetch(request.url, { method: request.method, headers: request.headers });\n  return result.json();\n}\nemitter.on('retry', (attempt) => attempt.count++);\n",
  },
];

describe('input: which files can hold a handler, decided before parsing', () => {
  const data = inputRuleData();

  for (const handlerCase of HANDLER_CASES) {
    it(`keeps ${handlerCase.name}`, () => {
      assert.equal(mayHoldHandler(handlerCase.text, handlerCase.file, data), true);
      assert.notDeepEqual(inputFindings(handlerCase.text, handlerCase.file).map(summarise), []);
    });
  }

  it("keeps 'use server' files and page files whatever they import", () => {
    assert.equal(mayHoldHandler("'use server';\nexport async function save(form) { await db.query(form.get('sql')); }\n", 'src/actions.ts', data), true);
    assert.equal(mayHoldHandler('export default function Page({ searchParams }) { return searchParams.q; }\n', 'app/search/page.tsx', data), true);
    assert.equal(mayHoldHandler("import { cookies } from 'next/headers';\nexport function theme() { return cookies().get('theme'); }\n", 'src/theme.ts', data), true);
  });

  for (const client of CLIENT_CODE) {
    it(`leaves out HTTP client code: ${client.name}`, () => {
      assert.equal(mayHoldHandler(client.text, 'node_modules_/client/policy.js', data), false);
      assert.deepEqual(inputFindings(client.text, 'lib/policy.js'), []);
    });
  }

  it('says yes to everything when a source function needs no import (rule data without modules)', () => {
    assert.equal(mayHoldHandler(CLIENT_CODE[0].text, 'lib/policy.js', { ...data, sourceFunctionModules: undefined }), true);
  });

  it('stays linear on a file full of registration-like calls and no request function', () => {
    const text = `${'emitter.on(x, y);\n'.repeat(20000)}request.url;\n`;
    assert.equal(mayHoldHandler(text, 'lib/events.js', data), false);
  });
});
