import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { PyModule } from '../../../../server/src/engine/python/ast';
import { parsePython } from '../../../../server/src/engine/python/parser';
import { findAll } from '../../../../server/src/engine/python/walk';
import { allFixtures, assertWellFormed } from './pythonTestSupport';

/**
 * Generous on purpose: the point is to catch quadratic or exponential behaviour (which
 * blows far past this), not to measure speed on a busy CI machine.
 */
function timeBoundMs(text: string): number {
  return 250 + (10 * text.length) / 1024;
}

/** Parses and checks the result is a usable tree, produced in time, with no exception. */
function parseSafely(text: string): PyModule {
  const started = performance.now();
  const module = parsePython(text);
  const elapsed = performance.now() - started;
  assert.ok(elapsed < timeBoundMs(text), `parsing ${text.length} characters took ${elapsed.toFixed(0)} ms`);
  assertWellFormed(module, text);
  return module;
}

/** Runs `body` with `frames` calls already on the stack, as when the parser runs inside a deep handler. */
function withStackDepth<T>(frames: number, body: () => T): T {
  return frames === 0 ? body() : withStackDepth(frames - 1, body);
}

const fixtures = allFixtures().map(([, text]) => text);
const corpus = fixtures.join('\n');

/** Characters that matter to Python's grammar, to mutate fixtures with. */
const SYNTAX = ['(', ')', '[', ']', '{', '}', '"', "'", '"""', "f'{", '}', ':', '\\', '\n', '\r\n', '\t', '    ', '#', '@', '=', ',', '.', '*', '**', 'def ', 'class ', 'if ', 'else:', 'lambda', '\0', '\uFEFF', 'é', '😀', '\u00a0'];

describe('python parser robustness', () => {
  it('parses every fixture well-formed', () => {
    for (const [name, text] of allFixtures()) {
      const module = parseSafely(text);
      assert.ok(module.body.length > 0, name);
    }
  });

  it('survives any slice of the fixtures (code mid-edit is often a fragment)', () => {
    fc.assert(
      fc.property(fc.nat(corpus.length), fc.nat(4000), (start, length) => {
        parseSafely(corpus.slice(start, start + length));
      }),
      { numRuns: 300 },
    );
  });

  it('survives random edits of the fixtures', () => {
    const edit = fc.record({ at: fc.nat(), remove: fc.nat(8), insert: fc.oneof(fc.constantFrom(...SYNTAX), fc.string({ maxLength: 4 })) });
    fc.assert(
      fc.property(fc.constantFrom(...fixtures), fc.array(edit, { minLength: 1, maxLength: 12 }), (fixture, edits) => {
        let text = fixture;
        for (const { at, remove, insert } of edits) {
          const position = at % (text.length + 1);
          text = text.slice(0, position) + insert + text.slice(position + remove);
        }
        parseSafely(text);
      }),
      { numRuns: 400 },
    );
  });

  it('survives byte soup and syntax soup', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), (text) => {
        parseSafely(text);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...SYNTAX, 'x', '1', 'not ', 'await ', 'yield ', 'for ', ' in ', 'return '), { maxLength: 300 }), (parts) => {
        parseSafely(parts.join(''));
      }),
      { numRuns: 300 },
    );
  });

  it('survives unclosed strings and brackets, keeping the code after them where it can', () => {
    const cases = [
      'x = "abc\ny = 1\n',
      "x = '''abc\ny = 1\n",
      'x = f"{a\ny = 1\n',
      'x = f"{a:{b\ny = 1\n',
      'x = foo(a, b\ndef handler():\n    return os.system(cmd)\n',
      '@app.route("/x"\ndef handler():\n    return 1\n',
      'x = [1, 2,\n',
      'x = {"a": \n',
      'def f(a, b\n',
      'class C(Base\n    pass\n',
      'if (a and\n',
      'x = )]}\n',
      '\\',
      'x = 1 \\',
      'f"{"',
      "f'{x!",
      "f'{x:",
      "f'{x=",
      "rb'",
      '"""',
    ];
    for (const text of cases) parseSafely(text);
    const recovered = parseSafely(cases[4]);
    assert.deepEqual(findAll(recovered, 'FunctionDef').map((fn) => fn.name), ['handler']);
    assert.equal(findAll(recovered, 'Call').filter((call) => call.func.type === 'Attribute' && call.func.attr === 'system').length, 1);
  });

  it('survives 2,000-deep nesting of every kind, even when called from a deep stack', () => {
    const depth = 2000;
    const cases = [
      `x = ${'('.repeat(depth)}1${')'.repeat(depth)}\n`,
      `x = ${'('.repeat(depth)}\n`,
      `x = ${'['.repeat(depth)}${']'.repeat(depth)}\n`,
      `x = ${'{"a": '.repeat(depth)}1${'}'.repeat(depth)}\n`,
      `x = ${'f('.repeat(depth)}${')'.repeat(depth)}\n`,
      `x = ${'a['.repeat(depth)}0${']'.repeat(depth)}\n`,
      `x = ${'-'.repeat(depth)}1\n`,
      `x = ${'not '.repeat(depth)}y\n`,
      `x = ${'lambda: '.repeat(depth)}y\n`,
      `x = ${'a if b else '.repeat(depth)}c\n`,
      `x = ${'a ** '.repeat(depth)}b\n`,
      `x = ${'await '.repeat(depth)}y\n`,
      `x = ${'f"{'.repeat(depth)}${'}"'.repeat(depth)}\n`,
      `x = ${"f'{".repeat(depth)}`,
      Array.from({ length: depth }, (_, level) => `${' '.repeat(level)}if x:\n`).join('') + `${' '.repeat(depth)}pass\n`,
      Array.from({ length: depth }, (_, level) => `${' '.repeat(level)}def f${level}():\n`).join(''),
      `${'@d\n'.repeat(depth)}def f():\n    pass\n`,
      `x = ${'('.repeat(depth)}${'[{'.repeat(depth)}`,
    ];
    for (const text of cases) withStackDepth(3000, () => parseSafely(text));
    // Nesting within the limit is still parsed exactly.
    const nested = parseSafely(`x = ${'('.repeat(50)}request.args${')'.repeat(50)}\n`);
    assert.equal(findAll(nested, 'Attribute').length, 1);
  });

  it('survives very long lines and files', () => {
    const longLine = `x = "${'a'.repeat(200_000)}"\n`;
    assert.equal(findAll(parseSafely(longLine), 'Str')[0].value?.length, 200_000);
    parseSafely(`x = [${'1, '.repeat(50_000)}]\n`);
    parseSafely(`x = ${'a.'.repeat(50_000)}b\n`);
    parseSafely(`x = ${'f()'.repeat(50_000)}\n`);
    parseSafely(`${'x = 1; '.repeat(30_000)}\n`);
    parseSafely('('.repeat(200_000));
    parseSafely(')'.repeat(200_000));
    parseSafely('"'.repeat(200_001));
    parseSafely('{'.repeat(100_000) + '}'.repeat(100_000));
    parseSafely(`f"${'{x}'.repeat(30_000)}"`);
  });

  it('survives mixed line endings, tabs and spaces, BOMs and NUL bytes', () => {
    const cases = [
      '\uFEFFimport os\r\ndef f():\r\n\tif x:\r\n        return 1\r\n\treturn 2\r\n',
      'def f():\n\t  x = 1\n  \ty = 2\n',
      'x = 1\0\0\0\ny = 2\n',
      'a = 1\rb = 2\r\nc = 3\n',
      '\t\t\n   \n\f\nx\n',
    ];
    for (const text of cases) parseSafely(text);
    const crlf = parseSafely(cases[0]);
    assert.deepEqual(findAll(crlf, 'Return').length, 2);
  });

  it('survives Python 2 and half-typed code', () => {
    const cases = [
      'print "hello"\nprint >>f, x\nexec code in ns\nraise E, "x"\nx = `y`\nif a <> b: pass\n',
      '@app.route("/")\n',
      '@\n',
      'def\n',
      'def f(\n',
      'class\n',
      'from\n',
      'from . import\n',
      'import\n',
      'with\n',
      'with open(x) as\n',
      'for x in\n',
      'try:\n',
      'except:\n    pass\n',
      'else:\nelif:\nfinally:\n',
      'lambda\n',
      'x = lambda a,: \n',
      'return\nyield\nawait\n',
      'match x:\n    case\n',
      'match x:\n    print(1)\n    case 1:\n        pass\n',
      'request.\n',
      'x: \n',
      'x +=\n',
      'a = b = \n',
      'del\nassert\nglobal\n',
      'async\nasync def\nasync for\n',
      '*a, = b\n',
      ':=\n',
    ];
    for (const text of cases) parseSafely(text);
  });
});
