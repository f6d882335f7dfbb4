import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { rulesDirectory } from '../../helpers';
import { inputRuleData } from '../../../../server/src/engine/input/ruleData';
import { applyEdits, editFixes, inputFindings } from './inputTestHelpers';

/**
 * rules/input/README.md shows, per rule, a Python bad and fixed example (the ```python block
 * after the TypeScript one). Each is run inside a Flask handler: the bad one must be reported
 * by its rule, the fixed one must not; where the README says the quick fix writes the fixed
 * code, applying the fix to the bad code must give exactly that.
 */
const PRELUDE = [
  'import json',
  'import os',
  'import sqlite3',
  'import subprocess',
  'from urllib.parse import urlparse',
  'import requests',
  'from flask import Flask, abort, redirect, request, send_file',
  'from markupsafe import escape',
  'from pymongo import MongoClient',
  'from werkzeug.utils import secure_filename',
  'from .models import User, db',
  'from .supabase import supabase',
  'app = Flask(__name__)',
  'mongo = MongoClient()["app"]',
  'UPLOAD_DIR = "/srv/uploads"',
  '@app.route("/example", methods=["POST"])',
  'def example():',
  '    conn = sqlite3.connect("app.db")',
];
const DEPENDENCIES = ['flask', 'flask-sqlalchemy', 'pymongo', 'requests', 'supabase'];

function wrap(fragment: string): string {
  return [...PRELUDE, ...fragment.split('\n').map((line) => (line ? `    ${line}` : line)), '    return "ok"', ''].join('\n');
}

describe('input rules for Python: the README\'s examples', () => {
  const readme = fs.readFileSync(path.join(rulesDirectory, 'input', 'README.md'), 'utf8');
  for (const rule of inputRuleData().rules) {
    it(`${rule.id}: the bad example is reported, the fixed one is not`, () => {
      const section = readme.split(`### \`${rule.id}\``)[1]?.split('\n### ')[0];
      assert.ok(section, `README has no section for ${rule.id}`);
      const code = /```python\n([\s\S]*?)```/.exec(section)?.[1];
      assert.ok(code, `${rule.id}: no python code block`);
      const [bad, fixed] = code.split(/^# Fixed.*$/m);
      assert.ok(bad.includes('# Bad') && fixed, `${rule.id}: expected "# Bad" then "# Fixed"`);
      const findingsIn = (fragment: string) => inputFindings(wrap(fragment.replace(/^# Bad\n/, '').trim()), 'app.py', DEPENDENCIES).filter((finding) => finding.ruleId === rule.id);
      const reported = findingsIn(bad);
      assert.ok(reported.length > 0, `${rule.id}: the bad example is not reported:\n${bad}`);
      assert.deepEqual(findingsIn(fixed).map((finding) => finding.message), [], `${rule.id}: the fixed example is reported:\n${fixed}`);
      if (/^# Fixed \((the )?quick fix/m.test(code)) {
        const text = wrap(bad.replace(/^# Bad\n/, '').trim());
        const finding = inputFindings(text, 'app.py', DEPENDENCIES).find((candidate) => candidate.ruleId === rule.id)!;
        const [fix] = editFixes(finding);
        assert.ok(fix, `${rule.id}: the README promises a quick fix`);
        assert.equal(applyEdits(text, fix.edits), wrap(fixed.trim()));
      }
    });
  }
});
