import * as assert from 'node:assert/strict';
import { inputFindings } from './inputTestHelpers';

/**
 * What makes Python input safe, and how values are followed: each fragment runs inside a
 * Flask handler. Validated input gives no finding; the close variants that do not validate
 * (and the flows through variables, containers, helpers and formatting) give exactly the
 * findings listed.
 */
const PRELUDE = [
  'import os',
  'import re',
  'import shlex',
  'import html',
  'import sqlite3',
  'import subprocess',
  'import uuid',
  'from pathlib import Path',
  'from urllib.parse import urlparse',
  'import requests',
  'from flask import Flask, abort, redirect, request, send_file',
  'from pydantic import BaseModel',
  'from werkzeug.utils import secure_filename',
  'from .forms import LoginForm',
  'from .schemas import UserSchema',
  'app = Flask(__name__)',
  'BASE = "/srv/files"',
  'ALLOWED = {"name", "price"}',
  'HOSTS = ("api.example.com", "cdn.example.com")',
  'SLUG = re.compile(r"^[a-z0-9-]+$")',
  'cursor = sqlite3.connect("app.db").cursor()',
  'def run(cmd):',
  '    return subprocess.check_output(cmd, shell=True)',
  'def read_query():',
  '    return request.args["q"]',
  '@app.route("/example", methods=["GET", "POST"])',
  'def example():',
];

function findings(fragment: string): string[] {
  const text = [...PRELUDE, ...fragment.split('\n').map((line) => `    ${line}`), '    return "ok"', ''].join('\n');
  return inputFindings(text, 'app.py', ['flask']).map((finding) => finding.ruleId);
}

const SQL = 'input/sql-injection';
const COMMAND = 'input/command-injection';
const PATH = 'input/path-traversal';
const REDIRECT = 'input/open-redirect';
const SSRF = 'input/ssrf';

const VALIDATED: [what: string, fragment: string][] = [
  ['int()', 'cursor.execute(f"SELECT * FROM t WHERE id = {int(request.args[\'id\'])}")'],
  ['Flask\'s request.args.get(…, type=int)', 'cursor.execute(f"SELECT * FROM t LIMIT {request.args.get(\'n\', 10, type=int)}")'],
  ['uuid.UUID()', 'cursor.execute(f"SELECT * FROM t WHERE id = \'{uuid.UUID(request.args[\'id\'])}\'")'],
  ['isinstance(x, int) guard', 'n = request.json["n"]\nif not isinstance(n, int):\n    abort(400)\ncursor.execute(f"SELECT * FROM t LIMIT {n}")'],
  ['x.isdigit() guard', 'n = request.args["n"]\nif not n.isdigit():\n    abort(400)\ncursor.execute(f"SELECT * FROM t LIMIT {n}")'],
  ['re.fullmatch guard', 'slug = request.args["slug"]\nif not re.fullmatch(r"[a-z0-9-]+", slug):\n    abort(400)\nos.system(f"build {slug}")'],
  ['an anchored re.match in the branch', 'slug = request.args["slug"]\nif re.match(r"^[a-z0-9-]+$", slug):\n    os.system(f"build {slug}")'],
  ['a compiled pattern\'s fullmatch', 'slug = request.args["slug"]\nif SLUG.fullmatch(slug) is None:\n    abort(400)\nos.system(f"build {slug}")'],
  ['not in a constant set, then abort', 'sort = request.args["sort"]\nif sort not in ALLOWED:\n    abort(400)\ncursor.execute(f"SELECT * FROM t ORDER BY {sort}")'],
  ['in a constant set, in the branch', 'sort = request.args["sort"]\nif sort in ALLOWED:\n    cursor.execute(f"SELECT * FROM t ORDER BY {sort}")'],
  ['one of two constants', 'order = request.args["order"]\nif order == "asc" or order == "desc":\n    cursor.execute(f"SELECT * FROM t ORDER BY id {order}")'],
  ['".." checked, then abort', 'name = request.args["name"]\nif ".." in name or name.startswith("/"):\n    abort(400)\nreturn send_file(os.path.join(BASE, name))'],
  ['realpath then startswith', 'path = os.path.realpath(os.path.join(BASE, request.args["name"]))\nif not path.startswith(BASE):\n    abort(404)\nreturn send_file(path)'],
  ['Path.resolve() then is_relative_to', 'target = (Path(BASE) / request.args["name"]).resolve()\nif not target.is_relative_to(BASE):\n    abort(404)\nreturn target.read_text()'],
  ['os.path.basename', 'return send_file(os.path.join(BASE, os.path.basename(request.args["name"])))'],
  ['secure_filename', 'return send_file(os.path.join(BASE, secure_filename(request.args["name"])))'],
  ['Path(x).name', 'return send_file(os.path.join(BASE, Path(request.args["name"]).name))'],
  ['urlparse(x).hostname in HOSTS', 'url = request.args["url"]\nif urlparse(url).hostname not in HOSTS:\n    abort(400)\nreturn requests.get(url).text'],
  ['a parsed URL\'s netloc', 'url = request.args["url"]\nparsed = urlparse(url)\nif parsed.netloc not in HOSTS:\n    abort(400)\nreturn requests.get(url).text'],
  ['a path on this site', 'target = request.args.get("next", "/")\nif target.startswith("/") and not target.startswith("//"):\n    return redirect(target)'],
  ['reassigned when the check fails', 'target = request.args.get("next", "/")\nif not (target.startswith("/") and not target.startswith("//")):\n    target = "/"\nreturn redirect(target)'],
  ['a fixed host before the input', 'return requests.get(f"https://api.example.com/items/{request.args[\'id\']}").json()'],
  ['shlex.quote', 'os.system("convert " + shlex.quote(request.form["file"]) + " out.png")'],
  ['html.escape', 'return "<p>" + html.escape(request.args["q"]) + "</p>"'],
  ['a pydantic model\'s attributes', 'class Item(BaseModel):\n    name: str\nitem = Item(**request.json)\ncursor.execute(f"SELECT * FROM t WHERE name = \'{item.name}\'")'],
  ['Model.model_validate', 'class Item(BaseModel):\n    name: str\nitem = Item.model_validate(request.get_json())\nos.system(f"echo {item.name}")'],
  ['a marshmallow schema\'s load()', 'data = UserSchema().load(request.json)\nos.system(f"echo {data[\'name\']}")'],
  ['a WTForms form after validate_on_submit()', 'form = LoginForm()\nif form.validate_on_submit():\n    os.system(f"echo {form.name.data}")'],
  ['int() in a try whose except leaves', 'n = request.args["n"]\ntry:\n    n = int(n)\nexcept ValueError:\n    abort(400)\ncursor.execute(f"SELECT * FROM t LIMIT {n}")'],
  ['assert in a constant set', 'sort = request.args["sort"]\nassert sort in ALLOWED\ncursor.execute(f"SELECT * FROM t ORDER BY {sort}")'],
  ['the parameterised form', 'cursor.execute("SELECT * FROM t WHERE name = ?", (request.args["name"],))'],
  ['a query parameter in a NoSQL-free project', 'return {"found": request.args["q"] in ALLOWED}'],
];

const REPORTED: [what: string, fragment: string, expected: string[]][] = [
  ['in a constant set, but used outside the branch', 'sort = request.args["sort"]\nif sort in ALLOWED:\n    pass\ncursor.execute(f"SELECT * FROM t ORDER BY {sort}")', [SQL]],
  ['a check whose branch does not leave', 'n = request.args["n"]\nif not n.isdigit():\n    print("not a number")\ncursor.execute(f"SELECT * FROM t LIMIT {n}")', [SQL]],
  ['re.match without an end anchor', 'slug = request.args["slug"]\nif re.match(r"[a-z0-9-]+", slug):\n    os.system(f"build {slug}")', [COMMAND]],
  ['startswith("/") alone lets //evil.example through', 'target = request.args["next"]\nif target.startswith("/"):\n    return redirect(target)', [REDIRECT]],
  ['startswith(BASE) without resolving ../', 'path = os.path.join(BASE, request.args["name"])\nif not path.startswith(BASE):\n    abort(404)\nreturn send_file(path)', [PATH]],
  ['a copy made before the variable was replaced', 'x = request.args["a"]\ny = x\nx = "safe"\nreturn redirect(y)', [REDIRECT]],
  ['a dict built in the handler', 'params = {"q": request.args["q"], "n": 1}\ncursor.execute(f"SELECT * FROM t WHERE a = \'{params[\'q\']}\' LIMIT {params[\'n\']}")', [SQL]],
  ['a list appended to, then joined', 'parts = ["convert"]\nparts.append(request.form["file"])\nos.system(" ".join(parts))', [COMMAND]],
  ['tuple unpacking keeps each value\'s own input', 'a, b = request.args["a"], "x"\nos.system(b)\nos.system(a)', [COMMAND]],
  ['a comprehension over input', 'names = [name.strip() for name in request.args.getlist("name")]\nos.system("touch " + " ".join(names))', [COMMAND]],
  ['a helper that returns input', 'os.system("grep " + read_query())', [COMMAND]],
  ['a helper called with a keyword argument', 'run(cmd=request.args["c"])', [COMMAND]],
  ['a walrus in a condition', 'if (q := request.args.get("q")):\n    os.system(q)', [COMMAND]],
  ['%-format with a dict', 'cursor.execute("SELECT * FROM t WHERE a = \'%(a)s\'" % {"a": request.args["a"]})', [SQL]],
  ['.format with a keyword', 'cursor.execute("SELECT * FROM t WHERE a = \'{a}\'".format(a=request.args["a"]))', [SQL]],
  ['str.format_map', 'cursor.execute("SELECT * FROM t WHERE a = \'{a}\'".format_map({"a": request.args["a"]}))', [SQL]],
  ['SQL built up with +=', 'sql = "SELECT * FROM t WHERE a = \'"\nsql += request.args["a"]\nsql += "\'"\ncursor.execute(sql)', [SQL]],
  ['a branch that assigns input', 'target = "/"\nif request.args.get("next"):\n    target = request.args["next"]\nreturn redirect(target)', [REDIRECT]],
  ['a loop over the JSON body', 'for item in request.json["items"]:\n    os.system(f"process {item}")', [COMMAND]],
  ['request.args.get(…, type=str) is still text', 'cursor.execute(f"SELECT * FROM t WHERE a = \'{request.args.get(\'a\', type=str)}\'")', [SQL]],
  ['a host that is not fixed', 'return requests.get(f"https://{request.args[\'host\']}/status").text', [SSRF]],
  ['a base URL variable and then the input as the host', 'return requests.get("https://" + request.args["host"] + "/status").text', [SSRF]],
];

describe('input analysis for Python: what counts as checked', () => {
  for (const [what, fragment] of VALIDATED) {
    it(`no finding: ${what}`, () => assert.deepEqual(findings(fragment), []));
  }
});

describe('input analysis for Python: how values are followed', () => {
  for (const [what, fragment, expected] of REPORTED) {
    it(`${expected.join(', ')}: ${what}`, () => assert.deepEqual(findings(fragment), expected));
  }
});
