import * as assert from 'node:assert/strict';
import type { PyExpr } from '../../../../server/src/engine/python/ast';
import { parsePython } from '../../../../server/src/engine/python/parser';
import { nodeText } from '../../../../server/src/engine/python/walk';
import { parseExpression, show } from './pythonTestSupport';

function shown(source: string): string {
  return show(parseExpression(source));
}

function ofType<T extends PyExpr['type']>(expr: PyExpr, type: T): Extract<PyExpr, { type: T }> {
  assert.equal(expr.type, type);
  return expr as Extract<PyExpr, { type: T }>;
}

describe('python parser: expressions', () => {
  it('binds operators with Python precedence', () => {
    const cases: [string, string][] = [
      ['"a" + x % y', '(+ "a" (% x y))'],
      ['a + b * c - d', '(- (+ a (* b c)) d)'],
      ['a | b ^ c & d << e + f', '(| a (^ b (& c (<< d (+ e f)))))'],
      ['-x ** 2', '(- (** x 2))'],
      ['2 ** -1', '(** 2 (- 1))'],
      ['a ** b ** c', '(** a (** b c))'],
      ['not x in y', '(not (cmp x in y))'],
      ['a not in b and c is not d', '(and (cmp a not in b) (cmp c is not d))'],
      ['a < b <= c != d', '(cmp a < b <= c != d)'],
      ['a or b and not c', '(or a (and b (not c)))'],
      ['x if c else y if d else z', '(if c x (if d y z))'],
      ['lambda: x', '(lambda () x)'],
      ['lambda a, b=1, *c, d, **e: a + b', '(lambda (a b c d e) (+ a b))'],
      ['await f()', '(await (call f))'],
      ['await a.b(c)[d]', '(await (sub (call a.b c) d))'],
      ['a.b(c)[d].e', '(sub (call a.b c) d).e'],
      ['~a @ b // c', '(// (@ (~ a) b) c)'],
      ['(a, b) if x else [c, *d]', '(if x (tuple a b) [c *d])'],
    ];
    for (const [source, expected] of cases) assert.equal(shown(source), expected, source);
  });

  it('reads calls: positional, *args, keywords and **kwargs', () => {
    const call = ofType(parseExpression('subprocess.run(cmd, *extra, shell=True, **options)'), 'Call');
    assert.equal(show(call), '(call subprocess.run cmd *extra shell=True **options)');
    assert.equal(call.keywords[0].arg, 'shell');
    assert.equal(call.keywords[1].arg, undefined);
    assert.equal(show(parseExpression('f(x for x in y)')), '(call f (GeneratorExp x (for x y)))');
    assert.equal(show(parseExpression('f(a,)')), '(call f a)');
    assert.equal(show(parseExpression('f(y := 1)')), '(call f (:= y 1))');
  });

  it('reads displays, comprehensions, spreads and slices', () => {
    const cases: [string, string][] = [
      ['[1, 2,]', '[1 2]'],
      ['()', '(tuple)'],
      ['(1,)', '(tuple 1)'],
      ['{}', '(dict)'],
      ['{"a": 1, **b}', '(dict "a":1 **b)'],
      ['{a, *b}', '{a *b}'],
      ['[x for x in y if x if not z]', '(ListComp x (for x y (if x) (if (not z))))'],
      ['{k: v for k, v in items async for w in z}', '(DictComp k:v (for (tuple k v) items) (for w z))'],
      ['{x for x in y}', '(SetComp x (for x y))'],
      ['(x for x in y)', '(GeneratorExp x (for x y))'],
      ['a[1:2]', '(sub a (slice 1 2 _))'],
      ['a[::2, :]', '(sub a (tuple (slice _ _ 2) (slice _ _ _)))'],
      ['a[...]', '(sub a Ellipsis)'],
      ['a[b, c]', '(sub a (tuple b c))'],
    ];
    for (const [source, expected] of cases) assert.equal(shown(source), expected, source);
  });

  it('reads constants and numbers', () => {
    assert.equal(shown('[True, False, None, ...]'), '[True False None Ellipsis]');
    const values = ofType(parseExpression('[0x1F, 0o17, 0b11, 1_000, 2.5, 1e3, 0777]'), 'List').elts.map((elt) => ofType(elt, 'Num').value);
    assert.deepEqual(values, [31, 15, 3, 1000, 2.5, 1000, 511]);
  });

  it('reads named expressions, starred values and yield', () => {
    assert.equal(shown('(n := len(a)) > 10'), '(cmp (:= n (call len a)) > 10)');
    const module = parsePython('def g():\n    x = yield\n    yield from other()\n    y = yield a, b\n');
    assert.deepEqual(module.errors, []);
    const body = module.body[0].type === 'FunctionDef' ? module.body[0].body : [];
    assert.deepEqual(
      body.map((statement) => (statement.type === 'Assign' ? show(statement.value) : statement.type === 'ExprStatement' ? show(statement.value) : statement.type)),
      ['(yield _)', '(yield-from (call other))', '(yield (tuple a b))'],
    );
  });

  describe('strings', () => {
    it('joins adjacent literals into one Str and keeps each part', () => {
      const text = `("SELECT * "\n  'FROM users '  r"WHERE a = \\d")`;
      const str = ofType(parseExpression(text), 'Str');
      assert.equal(str.value, 'SELECT * FROM users WHERE a = \\d');
      assert.deepEqual(str.parts.map((part) => [text.slice(part.start, part.end), part.raw]), [['"SELECT * "', false], ["'FROM users '", false], ['r"WHERE a = \\d"', true]]);
      assert.equal(nodeText(text, str), text.slice(1, -1));
    });

    it('decodes escapes unless the string is raw', () => {
      assert.equal(ofType(parseExpression(String.raw`"a\tb\n\x41\u00e9\101\'\q"`), 'Str').value, "a\tb\nAéA'\\q");
      assert.equal(ofType(parseExpression(String.raw`r"a\tb"`), 'Str').value, String.raw`a\tb`);
      assert.equal(ofType(parseExpression(`"""one\r\ntwo"""`), 'Str').value, 'one\ntwo');
      const bytes = ofType(parseExpression(`b"\\x00ab"`), 'Str');
      assert.deepEqual([bytes.isBytes, bytes.value], [true, '\0ab']);
    });

    it('parses the expressions interpolated into f-strings, with offsets into the file', () => {
      const text = `f"SELECT * FROM t WHERE a = '{request.args['q']}' AND b = {b!r:>{width}}"`;
      const str = ofType(parseExpression(text), 'Str');
      assert.equal(str.isFString, true);
      assert.equal(str.value, undefined);
      assert.deepEqual(str.interpolations.map((field) => show(field.expression)), ['(sub request.args "q")', 'b']);
      assert.deepEqual(str.interpolations.map((field) => nodeText(text, field.expression)), [`request.args['q']`, 'b']);
      const [query, second] = str.interpolations;
      assert.equal(nodeText(text, query), `{request.args['q']}`);
      assert.equal(second.conversion, 'r');
      assert.deepEqual(second.formatSpec.map((field) => show(field.expression)), ['width']);
    });

    it('parses interpolations in every part of a concatenation, and nested f-strings', () => {
      const str = ofType(parseExpression(`"plain " f"{a}" F'{b + c}' f"{f'{d}'}"`), 'Str');
      assert.equal(str.isFString, true);
      assert.deepEqual(str.interpolations.map((field) => show(field.expression)), ['a', '(+ b c)', '(f d)']);
      assert.deepEqual(str.parts.map((part) => part.formatted), [false, true, true, true]);
      assert.equal(str.parts[0].value, 'plain ');
    });

    it('reads self-documenting fields and conditional expressions inside fields', () => {
      const str = ofType(parseExpression(`f"{user=} {'admin' if is_admin else 'user'} {items[0]!s}"`), 'Str');
      assert.deepEqual(str.interpolations.map((field) => [show(field.expression), field.selfDocumenting, field.conversion]), [
        ['user', true, undefined],
        ['(if is_admin "admin" "user")', false, undefined],
        ['(sub items 0)', false, 's'],
      ]);
    });

    it('reports an empty or broken field without losing the string', () => {
      const module = parsePython('x = f"{} and {a +}"\n');
      assert.ok(module.errors.length > 0);
      const statement = module.body[0];
      assert.equal(statement.type, 'Assign');
      if (statement.type === 'Assign') assert.equal(ofType(statement.value!, 'Str').interpolations.length, 2);
    });
  });

  it('gives every expression its source span', () => {
    const text = 'cursor.execute("a" + name, params=(1, 2))';
    const call = ofType(parseExpression(text), 'Call');
    assert.equal(nodeText(text, call), text);
    assert.equal(nodeText(text, call.func), 'cursor.execute');
    assert.equal(nodeText(text, call.args[0]), '"a" + name');
    assert.equal(nodeText(text, call.keywords[0]), 'params=(1, 2)');
    assert.equal(nodeText(text, call.keywords[0].value), '(1, 2)');
    const attribute = ofType(call.func, 'Attribute');
    assert.equal(text.slice(attribute.attrStart, attribute.end), 'execute');
  });
});
