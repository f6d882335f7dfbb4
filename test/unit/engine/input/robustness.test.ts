import * as assert from 'node:assert/strict';
import { detectInputFlows } from '../../../../server/src/engine/input/detectInputFlows';
import { FileContext } from '../../../../server/src/engine/fileContext';
import { languageOf } from '../../../../server/src/engine/files/languages';
import { LineIndex } from '../../../../server/src/engine/text/lineIndex';
import { defaultConfig } from '../../../../server/src/engine/config/shipshapeConfig';
import { expressRouteFile } from '../../../bench/generatedRouteFiles';
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

describe('input analysis: a large file', () => {
  // Its time is measured by the benchmark (npm run bench), not asserted here.
  it('a 5,000-line route file: the SQL built from the body and the redirect are found in every handler that has them', () => {
    const file = expressRouteFile(5000);
    const path = 'src/routes/items.ts';
    const context = new FileContext(path, path, file.text, languageOf(path), new LineIndex(file.text), defaultConfig(), new Set(['pg']));
    const found = detectInputFlows(context);
    assert.equal(found.filter((finding) => finding.ruleId === 'input/sql-injection').length, file.unsafeHandlers);
    assert.equal(found.filter((finding) => finding.ruleId === 'input/open-redirect').length, file.unsafeHandlers);
    assert.equal(found.length, 2 * file.unsafeHandlers, 'nothing in the safe handlers');
  });
});
