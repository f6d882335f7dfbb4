import * as assert from 'node:assert/strict';
import type { PyNodeOf, PyNodeType, PyStatement } from '../../../../server/src/engine/python/ast';
import { parsePython } from '../../../../server/src/engine/python/parser';
import { nodeText } from '../../../../server/src/engine/python/walk';
import { parseValid, show } from './pythonTestSupport';

function only<T extends PyNodeType>(source: string, type: T): PyNodeOf<T> {
  const module = parseValid(source);
  assert.equal(module.body.length, 1, `one statement expected in ${JSON.stringify(source)}`);
  assert.equal(module.body[0].type, type);
  return module.body[0] as PyNodeOf<T>;
}

/** Statement types of a body, nested bodies in brackets: `If[Return] Pass`. */
function outline(body: PyStatement[]): string {
  return body
    .map((statement) => {
      const nested = 'body' in statement && Array.isArray(statement.body) ? `[${outline(statement.body)}]` : '';
      return `${statement.type}${nested}`;
    })
    .join(' ');
}

describe('python parser: statements', () => {
  it('reads functions: decorators, every kind of parameter, return annotation, async', () => {
    const text = '@app.get("/x")\n@login_required\nasync def handler(a, b: int = 1, /, c=2, *args: str, d, e: bool = False, **kwargs) -> Response:\n    return a\n';
    const fn = only(text, 'FunctionDef');
    assert.equal(fn.name, 'handler');
    assert.equal(text.slice(fn.nameStart, fn.nameEnd), 'handler');
    assert.equal(fn.isAsync, true);
    assert.equal(text.slice(fn.start, fn.start + 9), 'async def');
    assert.deepEqual(fn.decorators.map(show), ['(call app.get "/x")', 'login_required']);
    assert.deepEqual(
      fn.params.map((param) => [param.name, param.kind, show(param.annotation), show(param.default)]),
      [
        ['a', 'positionalOnly', '_', '_'],
        ['b', 'positionalOnly', 'int', '1'],
        ['c', 'positional', '_', '2'],
        ['args', 'vararg', 'str', '_'],
        ['d', 'keywordOnly', '_', '_'],
        ['e', 'keywordOnly', 'bool', 'False'],
        ['kwargs', 'kwarg', '_', '_'],
      ],
    );
    assert.equal(show(fn.returns), 'Response');
    assert.equal(outline(fn.body), 'Return');
    assert.equal(nodeText(text, fn.params[1]), 'b: int = 1');
  });

  it('reads bare * as the start of keyword-only parameters', () => {
    const fn = only('def f(a, *, b=Depends(auth)):\n    pass\n', 'FunctionDef');
    assert.deepEqual(fn.params.map((param) => `${param.name}:${param.kind}`), ['a:positional', 'b:keywordOnly']);
    assert.equal(show(fn.params[1].default), '(call Depends auth)');
  });

  it('reads one-line bodies and semicolon-separated statements', () => {
    const module = parseValid('def f(): return 1\nif x: a = 1; b = 2\nclass C: pass\nwhile x: break\n');
    assert.equal(outline(module.body), 'FunctionDef[Return] If[Assign Assign] ClassDef[Pass] While[Break]');
  });

  it('reads classes: bases, keyword arguments and decorators', () => {
    const cls = only('@dataclass\nclass V(LoginRequiredMixin, generic.View, metaclass=Meta):\n    x = 1\n', 'ClassDef');
    assert.equal(cls.name, 'V');
    assert.deepEqual(cls.bases.map(show), ['LoginRequiredMixin', 'generic.View']);
    assert.deepEqual(cls.keywords.map((keyword) => `${keyword.arg}=${show(keyword.value)}`), ['metaclass=Meta']);
    assert.deepEqual(cls.decorators.map(show), ['dataclass']);
  });

  it('reads assignments: chained, tuple, augmented and annotated', () => {
    const chained = only('a = b = f()', 'Assign');
    assert.deepEqual([chained.kind, chained.targets.map(show), show(chained.value)], ['plain', ['a', 'b'], '(call f)']);
    const unpack = only('x, *rest = items', 'Assign');
    assert.deepEqual(unpack.targets.map(show), ['(tuple x *rest)']);
    const augmented = only('query += " WHERE id = " + uid', 'Assign');
    assert.deepEqual([augmented.kind, augmented.op, show(augmented.value)], ['augmented', '+=', '(+ " WHERE id = " uid)']);
    const annotated = only('permission_classes: list = [IsAuthenticated]', 'Assign');
    assert.deepEqual([annotated.kind, show(annotated.annotation), show(annotated.value)], ['annotated', 'list', '[IsAuthenticated]']);
    const bare = only('name: str', 'Assign');
    assert.equal(bare.value, undefined);
    const subscript = only('context["orders"] = rows', 'Assign');
    assert.equal(show(subscript.targets[0]), '(sub context "orders")');
  });

  it('reads if/elif/else chains as nested If nodes, without recursion per elif', () => {
    const text = 'if a:\n    x\nelif b:\n    y\nelif c:\n    z\nelse:\n    w\n';
    const chain = only(text, 'If');
    assert.equal(show(chain.test), 'a');
    const elif = chain.orelse[0];
    assert.equal(elif.type, 'If');
    if (elif.type !== 'If') return;
    assert.deepEqual([show(elif.test), elif.isElif, text.slice(elif.start, elif.start + 4)], ['b', true, 'elif']);
    const last = elif.orelse[0];
    assert.equal(last.type === 'If' && outline(last.orelse), 'ExprStatement');
    const many = `if a:\n    pass\n${'elif b:\n    pass\n'.repeat(5000)}`;
    assert.equal(parseValid(many).body.length, 1);
  });

  it('reads loops with targets, else clauses and async', () => {
    const loop = only('for key, value in data.items():\n    print(key)\nelse:\n    done()\n', 'For');
    assert.deepEqual([show(loop.target), show(loop.iter), outline(loop.orelse)], ['(tuple key value)', '(call data.items)', 'ExprStatement']);
    const module = parseValid('async def f():\n    async for row in cursor:\n        pass\n    async with lock:\n        pass\n');
    const fn = module.body[0];
    assert.ok(fn.type === 'FunctionDef');
    assert.deepEqual(fn.body.map((statement) => statement.type === 'For' || statement.type === 'With' ? statement.isAsync : undefined), [true, true]);
    const whileLoop = only('while (line := f.readline()):\n    handle(line)\n', 'While');
    assert.equal(show(whileLoop.test), '(:= line (call f.readline))');
  });

  it('reads with statements, parenthesized items included', () => {
    const simple = only('with open(path) as f, lock:\n    pass\n', 'With');
    assert.deepEqual(simple.items.map((item) => [show(item.contextExpr), show(item.optionalVars)]), [['(call open path)', 'f'], ['lock', '_']]);
    const grouped = only('with (\n    open(a) as src,\n    open(b, "w") as dst,\n):\n    pass\n', 'With');
    assert.deepEqual(grouped.items.map((item) => show(item.optionalVars)), ['src', 'dst']);
    const tuple = only('with connection.cursor() as (a, b):\n    pass\n', 'With');
    assert.equal(show(tuple.items[0].optionalVars), '(tuple a b)');
  });

  it('reads try with handlers, else and finally', () => {
    const statement = only('try:\n    risky()\nexcept (KeyError, ValueError) as error:\n    log(error)\nexcept Exception:\n    raise\nexcept:\n    pass\nelse:\n    ok()\nfinally:\n    close()\n', 'Try');
    assert.deepEqual(statement.handlers.map((handler) => [show(handler.exceptionType), handler.name]), [
      ['(tuple KeyError ValueError)', 'error'],
      ['Exception', undefined],
      ['_', undefined],
    ]);
    assert.deepEqual([outline(statement.orelse), outline(statement.finalbody)], ['ExprStatement', 'ExprStatement']);
    const star = only('try:\n    pass\nexcept* OSError:\n    pass\n', 'Try');
    assert.equal(star.handlers[0].isStar, true);
  });

  it('reads raise, return, del, assert, global and nonlocal', () => {
    const raise = only('raise HTTPException(status_code=401) from error', 'Raise');
    assert.deepEqual([show(raise.exc), show(raise.cause)], ['(call HTTPException status_code=401)', 'error']);
    assert.equal(only('raise', 'Raise').exc, undefined);
    assert.equal(show(only('return a, b', 'Return').value), '(tuple a b)');
    assert.deepEqual(only('del a[0], b', 'Delete').targets.map(show), ['(sub a 0)', 'b']);
    const assertion = only('assert user.is_admin, "admins only"', 'Assert');
    assert.deepEqual([show(assertion.test), show(assertion.msg)], ['user.is_admin', '"admins only"']);
    assert.deepEqual(only('global a, b', 'Global').names, ['a', 'b']);
    const nested = parseValid('def f():\n    x = 1\n    def g():\n        nonlocal x\n');
    assert.ok(nested.body[0].type === 'FunctionDef');
  });

  it('reads imports: dotted names, aliases, relative levels, parentheses and *', () => {
    const plain = only('import os.path as p, json', 'Import');
    assert.deepEqual(plain.names.map((alias) => [alias.name, alias.asname]), [['os.path', 'p'], ['json', undefined]]);
    const relative = only('from ..models import (\n    User as U,\n    Order,\n)', 'ImportFrom');
    assert.deepEqual([relative.module, relative.level, relative.names.map((alias) => [alias.name, alias.asname])], ['models', 2, [['User', 'U'], ['Order', undefined]]]);
    const here = only('from . import views', 'ImportFrom');
    assert.deepEqual([here.module, here.level, here.names.map((alias) => alias.name)], [undefined, 1, ['views']]);
    const deep = only('from ...core.db import session', 'ImportFrom');
    assert.deepEqual([deep.module, deep.level], ['core.db', 3]);
    assert.deepEqual(only('from flask import *', 'ImportFrom').names.map((alias) => alias.name), ['*']);
  });

  it('reads match statements, keeping match usable as a name', () => {
    const statement = only('match command.split():\n    case ["go", direction] if direction in exits:\n        go(direction)\n    case {"action": action, **rest}:\n        pass\n    case Point(x=0) | None as p:\n        pass\n    case _:\n        pass\n', 'Match');
    assert.equal(show(statement.subject), '(call command.split)');
    assert.deepEqual(statement.cases.map((matchCase) => show(matchCase.pattern)), ['["go" direction]', '(dict "action":action **rest)', '(| (call Point x=0) None)', '_']);
    assert.equal(show(statement.cases[0].guard), '(cmp direction in exits)');
    assert.equal(statement.cases[2].asName, 'p');
    assert.equal(outline(parseValid('match = re.match(p, s)\nmatch.group(1)\n').body), 'Assign ExprStatement');
  });

  it('nests by indentation and ends blocks at the right statement', () => {
    const text = 'class A:\n    def f(self):\n        if x:\n            return 1\n        return 2\n\n    def g(self):\n        pass\nafter = 1\n';
    const module = parseValid(text);
    assert.equal(outline(module.body), 'ClassDef[FunctionDef[If[Return] Return] FunctionDef[Pass]] Assign');
    const cls = module.body[0];
    assert.equal(nodeText(text, cls).endsWith('pass'), true, 'a block ends at its last token, not at the next line');
  });

  it('collects comments separately', () => {
    const module = parseValid('x = 1  # shipshape-ignore input/sql-injection: reviewed\n# trailing\n');
    assert.deepEqual(module.comments.map((comment) => comment.text), ['# shipshape-ignore input/sql-injection: reviewed', '# trailing']);
  });

  describe('code Python 3 rejects', () => {
    it('keeps Python 2 print statements as ErrorStatements with their expressions', () => {
      const module = parsePython('print "hello", name\nx = 1\n');
      assert.equal(outline(module.body), 'ErrorStatement Assign');
      const error = module.body[0];
      assert.ok(error.type === 'ErrorStatement');
      assert.equal(error.partial?.type, 'ExprStatement');
      assert.deepEqual(error.expressions.map(show), ['"hello"', 'name']);
    });

    it('keeps decorators that decorate nothing', () => {
      const module = parsePython('@app.route("/x")\nx = 1\n@app.route("/end")');
      assert.equal(outline(module.body), 'ErrorStatement Assign ErrorStatement');
      const first = module.body[0];
      assert.ok(first.type === 'ErrorStatement');
      assert.deepEqual(first.expressions.map(show), ['(call app.route "/x")']);
    });

    it('skips an unparseable line and carries on with the next', () => {
      const module = parsePython('def f():\n    x = = 2\n    return x $ 1\n    y = 3\n');
      const fn = module.body[0];
      assert.ok(fn.type === 'FunctionDef');
      assert.equal(outline(fn.body), 'Assign ErrorStatement Assign');
      assert.ok(module.errors.length >= 2);
    });

    it('parses an unexpected indented block in place rather than dropping it', () => {
      const module = parsePython('x = 1\n    y = request.args["q"]\nz = 3\n');
      assert.equal(outline(module.body), 'Assign Assign Assign');
      assert.match(module.errors[0].message, /unexpected indent/);
    });

    it('keeps the block of an else without its if', () => {
      const module = parsePython('def f():\n    pass\nelse:\n    os.system(cmd)\n');
      assert.equal(outline(module.body), 'FunctionDef[Pass] ErrorStatement ExprStatement');
    });

    it('recovers the block when the header colon is missing or junk precedes it', () => {
      const module = parsePython('if x y:\n    a()\nfor item in items\n    b()\n');
      assert.equal(outline(module.body), 'If[ExprStatement] For[ExprStatement]');
    });
  });
});
