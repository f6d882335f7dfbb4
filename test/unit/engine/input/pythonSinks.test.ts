import * as assert from 'node:assert/strict';
import { inputFindings } from './inputTestHelpers';

/**
 * One line per Python sink family, inside a handler that reads a request: each must be
 * reported by its rule (and only by it), so the catalogue in rules/input/sinks.json stays
 * wired to the analysis.
 */
const PRELUDE = [
  'import os',
  'import shutil',
  'import subprocess',
  'import sqlite3',
  'import urllib.request',
  'from pathlib import Path',
  'import aiohttp',
  'import httpx',
  'import pickle',
  'import pandas as pd',
  'import requests',
  'import yaml',
  'from flask import Flask, Markup, make_response, redirect, render_template_string, request, send_file, send_from_directory',
  'from django.db.models.expressions import RawSQL',
  'from django.http import HttpResponse, HttpResponseRedirect',
  'from django.shortcuts import redirect as django_redirect',
  'from django.utils.safestring import mark_safe',
  'from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse',
  'from sqlalchemy import create_engine, insert, text',
  'from pymongo import MongoClient',
  'from .models import Article, User, db',
  'app = Flask(__name__)',
  'engine = create_engine("sqlite://")',
  'mongo = MongoClient().app',
  '@app.post("/x")',
  'async def handler():',
  '    q = request.args["q"]',
  '    body = request.get_json()',
  '    cursor = sqlite3.connect("x.db").cursor()',
];
const DEPENDENCIES = ['flask', 'django', 'fastapi', 'sqlalchemy', 'flask-sqlalchemy', 'pymongo'];

const CATALOGUE: [rule: string, line: string][] = [
  ['input/sql-injection', 'cursor.execute(f"SELECT * FROM t WHERE a = \'{q}\'")'],
  ['input/sql-injection', 'cursor.executemany("INSERT INTO t VALUES (\'" + q + "\')", [])'],
  ['input/sql-injection', 'sqlite3.connect("x.db").execute("DELETE FROM t WHERE a = \'%s\'" % q)'],
  ['input/sql-injection', 'db.session.execute(text(f"SELECT * FROM t WHERE a = \'{q}\'"))'],
  ['input/sql-injection', 'db.session.execute(f"SELECT * FROM t WHERE a = \'{q}\'")'],
  ['input/sql-injection', 'engine.execute("SELECT * FROM t WHERE a = \'{}\'".format(q))'],
  ['input/sql-injection', 'Article.objects.raw(f"SELECT * FROM blog_article WHERE a = \'{q}\'")'],
  ['input/sql-injection', 'Article.objects.extra(where=[f"a = \'{q}\'"])'],
  ['input/sql-injection', 'Article.objects.annotate(x=RawSQL(f"SELECT \'{q}\'", ()))'],
  ['input/sql-injection', 'pd.read_sql(f"SELECT * FROM t WHERE a = \'{q}\'", engine)'],
  ['input/command-injection', 'os.system("ls " + q)'],
  ['input/command-injection', 'os.popen(f"ls {q}")'],
  ['input/command-injection', 'subprocess.run(f"ls {q}", shell=True)'],
  ['input/command-injection', 'subprocess.Popen(q)'],
  ['input/command-injection', 'subprocess.call(["sh", "-c", q])'],
  ['input/command-injection', 'subprocess.getoutput("ls " + q)'],
  ['input/code-injection', 'eval(q)'],
  ['input/code-injection', 'exec(body["code"])'],
  ['input/code-injection', 'compile(q, "<input>", "exec")'],
  ['input/code-injection', 'pickle.loads(request.get_data())'],
  ['input/code-injection', 'yaml.load(request.get_data(), Loader=yaml.Loader)'],
  ['input/path-traversal', 'open(q).read()'],
  ['input/path-traversal', 'send_file(q)'],
  ['input/path-traversal', 'send_from_directory(q, "report.pdf")'],
  ['input/path-traversal', 'FileResponse(f"files/{q}")'],
  ['input/path-traversal', 'os.remove(os.path.join("/tmp", q))'],
  ['input/path-traversal', 'shutil.copy(q, "/srv/backup")'],
  ['input/path-traversal', 'Path("/srv", q).read_text()'],
  ['input/path-traversal', '(Path("/srv") / q).write_text("x")'],
  ['input/open-redirect', 'redirect(q)'],
  ['input/open-redirect', 'django_redirect(q)'],
  ['input/open-redirect', 'HttpResponseRedirect(q)'],
  ['input/open-redirect', 'RedirectResponse(url=q)'],
  ['input/ssrf', 'requests.post(q, json={})'],
  ['input/ssrf', 'httpx.get(q)'],
  ['input/ssrf', 'urllib.request.urlopen(q)'],
  ['input/ssrf', 'requests.Session().get(q)'],
  ['input/html-injection', 'render_template_string(q)'],
  ['input/html-injection', 'Markup(f"<b>{q}</b>")'],
  ['input/html-injection', 'mark_safe(q)'],
  ['input/html-injection', 'HttpResponse(f"<h1>{q}</h1>")'],
  ['input/html-injection', 'HTMLResponse(q)'],
  ['input/html-injection', 'make_response("<p>" + q + "</p>")'],
  ['input/mass-assignment', 'User(**body)'],
  ['input/mass-assignment', 'Article.objects.create(**request.form)'],
  ['input/mass-assignment', 'Article.objects.update_or_create(id=1, defaults=body)'],
  ['input/mass-assignment', 'db.session.execute(insert(User).values(**body))'],
  ['input/mass-assignment', 'User.query.filter_by(id=1).update(body)'],
  ['input/mass-assignment', 'User.query.first().__dict__.update(body)'],
  ['input/mass-assignment', 'mongo.users.insert_one(body)'],
  ['input/mass-assignment', 'mongo.users.update_one({"_id": 1}, {"$set": body})'],
  ['input/nosql-injection', 'mongo.users.find(body)'],
  ['input/nosql-injection', 'mongo.users.delete_many({"owner": body["owner"]})'],
  ['input/nosql-injection', 'mongo.users.find_one({"$where": "this.a == " + q})'],
];

describe('input analysis for Python: the sink catalogue', () => {
  for (const [rule, line] of CATALOGUE) {
    it(`${rule}: ${line}`, () => {
      const text = [...PRELUDE, `    ${line}`, '    return "ok"', ''].join('\n');
      const findings = inputFindings(text, 'app.py', DEPENDENCIES);
      assert.deepEqual(findings.map((finding) => `${finding.ruleId}@${finding.range.start.line + 1}`), [`${rule}@${PRELUDE.length + 1}`]);
    });
  }

  it('async with aiohttp.ClientSession() and an upload saved under its own name', () => {
    const text = [...PRELUDE, '    async with aiohttp.ClientSession() as session:', '        async with session.get(q) as response:', '            await response.text()', '    request.files["f"].save("/srv/uploads/" + request.files["f"].filename)', '    return "ok"', ''].join('\n');
    assert.deepEqual(inputFindings(text, 'app.py', DEPENDENCIES).map((finding) => `${finding.ruleId}@${finding.range.start.line + 1}`), [`input/ssrf@${PRELUDE.length + 2}`, `input/path-traversal@${PRELUDE.length + 4}`]);
  });

  it('the same calls with constants, parameters or a list command are not reported', () => {
    const safe = [
      'cursor.execute("SELECT * FROM t WHERE a = ?", (q,))',
      'db.session.execute(text("SELECT * FROM t WHERE a = :a"), {"a": q})',
      'subprocess.run(["ls", q])',
      'open("/srv/config.json").read()',
      'send_from_directory("/srv/reports", q)',
      'redirect("/home")',
      'requests.get("https://api.example.com/search", params={"q": q})',
      'render_template_string("<h1>{{ q }}</h1>", q=q)',
      'HttpResponse(q, content_type="text/plain")',
      'User(name=body["name"])',
      'mongo.users.find({"name": q})',
      'setattr(User.query.first(), "name", q)',
    ];
    for (const line of safe) {
      const text = [...PRELUDE, `    ${line}`, '    return "ok"', ''].join('\n');
      assert.deepEqual(inputFindings(text, 'app.py', DEPENDENCIES).map((finding) => finding.message), [], line);
    }
  });
});
