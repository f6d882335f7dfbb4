import * as assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { detectInputFlows } from '../../../../server/src/engine/input/detectInputFlows';
import { FileContext } from '../../../../server/src/engine/fileContext';
import { languageOf } from '../../../../server/src/engine/files/languages';
import { LineIndex } from '../../../../server/src/engine/text/lineIndex';
import { defaultConfig } from '../../../../server/src/engine/config/shipshapeConfig';
import { assertPrefixesKeepFindings, inputFindings, randomlyDamaged, readFixture } from './inputTestHelpers';

const FIXTURES: [fixture: string, file: string, dependencies: string[]][] = [
  ['express/products.ts', 'src/routes/products.ts', ['pg', 'zod']],
  ['express/files.ts', 'src/server.ts', []],
  ['next/app/account/actions.ts', 'app/account/actions.ts', ['@prisma/client']],
  ['nest/users.controller.ts', 'src/users/users.controller.ts', ['@prisma/client']],
  ['fixes/sql-pg-template.ts', 'src/routes/products.ts', ['pg']],
];

describe('input analysis: code mid-edit', () => {
  for (const [fixture, file, dependencies] of FIXTURES) {
    it(`${fixture}: every prefix (as if still being typed) analyses without failing or inventing findings`, () => {
      assertPrefixesKeepFindings(fixture, file, dependencies, 7);
    });
  }

  it('survives half-typed calls, stray tokens and deleted characters', () => {
    const tokens = ['(', ')', '{', '}', '`', '${', "'", 'req.', '=>', ',', ';', 'await '];
    for (const damaged of randomlyDamaged(readFixture('express/files.ts'), { seed: 7, rounds: 150, tokens, newlineFrom: 0.8 })) inputFindings(damaged, 'src/server.ts', ['pg']);
  });

  it('handles pathological nesting and long chains without a stack overflow', () => {
    const deep = `import express from 'express';\nconst app = express();\napp.get('/', (req, res) => {\n  const x = ${'('.repeat(3000)}req.query.a${')'.repeat(3000)};\n  res.redirect(x);\n});\n`;
    assert.equal(inputFindings(deep, 'src/deep.ts').length <= 1, true);
    const chain = `import express from 'express';\nconst app = express();\napp.get('/', (req, res) => {\n  res.redirect(${Array.from({ length: 4000 }, () => 'req.query.a').join(' + ')});\n});\n`;
    inputFindings(chain, 'src/chain.ts');
    const nestedCallbacks = `import express from 'express';\nconst app = express();\napp.get('/', (req, res) => {\n${'  run(() => {\n'.repeat(500)}  res.redirect(req.query.a);\n${'  });\n'.repeat(500)}});\n`;
    inputFindings(nestedCallbacks, 'src/nested.ts');
  });

  it('files that cannot concern it are never parsed', () => {
    const path = 'src/components/Button.tsx';
    const text = 'export function Button({ label }: { label: string }) {\n  return <button>{label}</button>;\n}\n';
    const context = new FileContext(path, path, text, languageOf(path), new LineIndex(text), defaultConfig(), new Set());
    let parsed = false;
    const original = context.sourceFile.bind(context);
    context.sourceFile = () => {
      parsed = true;
      return original();
    };
    assert.deepEqual(detectInputFlows(context), []);
    assert.equal(parsed, false);
  });

  it('test files, type declarations and non-script files are skipped', () => {
    const code = "import express from 'express';\nconst app = express();\napp.get('/', (req, res) => res.redirect(req.query.to));\n";
    assert.equal(inputFindings(code, 'src/server.ts').length, 1);
    for (const file of ['src/server.test.ts', 'test/server.ts', '__tests__/server.ts', 'src/types.d.ts', 'src/server.py', 'e2e/server.spec.ts']) {
      assert.deepEqual(inputFindings(code, file), [], file);
    }
  });
});

describe('input analysis: speed', () => {
  function routeFile(lines: number): string {
    const parts = [`import { Router } from 'express';`, `import { pool } from '../db';`, `export const router = Router();`, ''];
    for (let index = 0; parts.length < lines; index++) {
      if (index % 10 === 0) {
        parts.push(
          `router.post('/items/${index}', async (req, res) => {`,
          `  const { name, price, tags } = req.body;`,
          `  if (!name) return res.status(400).json({ error: 'name' });`,
          `  const row = await pool.query(\`INSERT INTO items (name, price) VALUES ('\${name}', \${price}) RETURNING *\`);`,
          `  for (const tag of tags ?? []) await pool.query('INSERT INTO tags (item, tag) VALUES ($1, $2)', [row.rows[0].id, tag]);`,
          `  res.redirect(req.query.next ?? '/items');`,
          `});`,
          '',
        );
      } else {
        parts.push(
          `router.get('/things/${index}/:id', async (req, res) => {`,
          `  const id = Number(req.params.id);`,
          `  const { rows } = await pool.query('SELECT * FROM things WHERE id = $1 AND owner = $2', [id, req.user.id]);`,
          `  if (!rows.length) return res.status(404).json({ error: 'not found' });`,
          `  const tags = rows[0].tags.map((tag) => tag.trim()).filter(Boolean);`,
          `  res.json({ ...rows[0], tags, page: req.query.page ?? 1 });`,
          `});`,
          '',
        );
      }
    }
    return parts.join('\n');
  }

  it('a 5,000-line route file: prints the time of its own part (parse excluded) and stays within a generous bound', () => {
    const text = routeFile(5000);
    const path = 'src/routes/items.ts';
    const detect: number[] = [];
    const parse: number[] = [];
    let findings = 0;
    for (let run = 0; run < 12; run++) {
      const context = new FileContext(path, path, text, languageOf(path), new LineIndex(text), defaultConfig(), new Set(['pg']));
      let started = performance.now();
      context.sourceFile();
      parse.push(performance.now() - started);
      started = performance.now();
      findings = detectInputFlows(context).length;
      detect.push(performance.now() - started);
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];
    const lines = text.split('\n').length;
    console.log(`      input analysis of ${lines} lines: ${median(detect.slice(2)).toFixed(1)} ms (median; fastest ${Math.min(...detect).toFixed(1)} ms), TypeScript parse ${median(parse.slice(2)).toFixed(1)} ms, ${findings} findings`);
    assert.ok(findings > 50);
    assert.ok(median(detect.slice(2)) < 500, 'generous bound: shared CI machines vary');
  });
});
