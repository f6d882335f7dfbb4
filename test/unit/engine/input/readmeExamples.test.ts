import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { rulesDirectory } from '../../helpers';
import { inputRuleData } from '../../../../server/src/engine/input/ruleData';
import { inputFindings } from './inputTestHelpers';

/**
 * rules/input/README.md shows, per rule, a bad and a fixed example. Each is run inside an
 * Express handler: the bad one must be reported by its rule, the fixed one must not.
 */
const PRELUDE = [
  "import express from 'express';",
  "import path from 'node:path';",
  "import { exec, execFile } from 'node:child_process';",
  "import { z } from 'zod';",
  "import escapeHtml from 'escape-html';",
  "import { pool } from './db';",
  "import { User } from './models';",
  "import { supabase } from './supabase';",
  'const app = express();',
  "app.post('/example', async (req, res) => {",
  "  const q = String(req.query.q ?? '');",
  '  const done = () => res.end();',
];

describe('input rules: the README\'s examples', () => {
  const readme = fs.readFileSync(path.join(rulesDirectory, 'input', 'README.md'), 'utf8');
  for (const rule of inputRuleData().rules) {
    it(`${rule.id}: the bad example is reported, the fixed one is not`, () => {
      const section = readme.split(`### \`${rule.id}\``)[1]?.split('\n### ')[0];
      assert.ok(section, `README has no section for ${rule.id}`);
      const code = /```tsx?\n([\s\S]*?)```/.exec(section)?.[1];
      assert.ok(code, `${rule.id}: no code block`);
      const [bad, fixed] = code.split(/^\/\/ Fixed.*$/m);
      assert.ok(bad.includes('// Bad') && fixed, `${rule.id}: expected "// Bad" then "// Fixed"`);
      const wrap = (fragment: string) => [...PRELUDE, ...fragment.split('\n').map((line) => `  ${line}`), '});', ''].join('\n');
      const findingsIn = (fragment: string) => inputFindings(wrap(fragment), 'src/example.tsx', ['express', 'pg', 'mongoose', 'zod', '@supabase/supabase-js']).filter((finding) => finding.ruleId === rule.id);
      assert.ok(findingsIn(bad).length > 0, `${rule.id}: the bad example is not reported:\n${bad}`);
      assert.deepEqual(findingsIn(fixed).map((finding) => finding.message), [], `${rule.id}: the fixed example is reported:\n${fixed}`);
    });
  }
});
