import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PyExpr, PyFunctionDef, PyModule, PyNode, PyStatement } from '../../../../server/src/engine/python/ast';
import { parsePython } from '../../../../server/src/engine/python/parser';
import { findAll, walkPython } from '../../../../server/src/engine/python/walk';

let fixturesDirectory: string | undefined;

/** test/fixtures/python, found from the compiled test's location (test/out/unit/…). */
export function pythonFixtures(): string {
  fixturesDirectory ??= findFixtures(__dirname);
  return fixturesDirectory;
}

function findFixtures(start: string): string {
  for (let directory = start; ; directory = path.dirname(directory)) {
    const candidate = path.join(directory, 'test', 'fixtures', 'python');
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(directory) === directory) throw new Error(`no test/fixtures/python above ${start}`);
  }
}

export function readFixture(relative: string): string {
  return fs.readFileSync(path.join(pythonFixtures(), relative), 'utf8');
}

/** Every .py fixture, as [relative path, text]. */
export function allFixtures(): [string, string][] {
  return fs
    .readdirSync(pythonFixtures(), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.py'))
    .sort()
    .map((name) => [name, readFixture(name)]);
}

/** Parses a fixture that is valid Python 3 and checks the parser agrees it is. */
export function parseValid(text: string): PyModule {
  const module = parsePython(text);
  assert.deepEqual(module.errors, [], 'valid Python must parse without errors');
  return module;
}

/** The single expression of a one-line source (`a + b`). */
export function parseExpression(source: string): PyExpr {
  const module = parseValid(source);
  assert.equal(module.body.length, 1);
  const statement = module.body[0];
  assert.equal(statement.type, 'ExprStatement', `expected an expression statement in ${JSON.stringify(source)}`);
  return (statement as Extract<PyStatement, { type: 'ExprStatement' }>).value;
}

export function functionNamed(root: PyNode, name: string): PyFunctionDef {
  const found = findAll(root, 'FunctionDef').find((node) => node.name === name);
  assert.ok(found, `no function ${name}`);
  return found;
}

/**
 * A compact S-expression of an expression tree, so precedence reads at a glance:
 * `"a" + x % y` is `(+ "a" (% x y))`.
 */
export function show(node: PyExpr | PyNode | undefined | null): string {
  if (!node) return '_';
  switch (node.type) {
    case 'Name':
      return node.id;
    case 'Attribute':
      return `${show(node.value)}.${node.attr}`;
    case 'Call': {
      const args = [...node.args.map(show), ...node.keywords.map((keyword) => (keyword.arg ? `${keyword.arg}=${show(keyword.value)}` : `**${show(keyword.value)}`))];
      return `(call ${show(node.func)}${args.map((arg) => ` ${arg}`).join('')})`;
    }
    case 'Str':
      return node.isFString ? `(f ${node.interpolations.map((field) => show(field.expression)).join(' ')})` : JSON.stringify(node.value);
    case 'Num':
      return node.raw;
    case 'Constant':
      return node.value;
    case 'BinOp':
      return `(${node.op} ${show(node.left)} ${show(node.right)})`;
    case 'UnaryOp':
      return `(${node.op} ${show(node.operand)})`;
    case 'BoolOp':
      return `(${node.op} ${node.values.map(show).join(' ')})`;
    case 'Compare':
      return `(cmp ${show(node.left)} ${node.ops.map((op, index) => `${op} ${show(node.comparators[index])}`).join(' ')})`;
    case 'IfExp':
      return `(if ${show(node.test)} ${show(node.body)} ${show(node.orelse)})`;
    case 'Lambda':
      return `(lambda (${node.params.map((param) => param.name).join(' ')}) ${show(node.body)})`;
    case 'Await':
      return `(await ${show(node.value)})`;
    case 'Subscript':
      return `(sub ${show(node.value)} ${show(node.slice)})`;
    case 'Slice':
      return `(slice ${show(node.lower)} ${show(node.upper)} ${show(node.step)})`;
    case 'List':
      return `[${node.elts.map(show).join(' ')}]`;
    case 'Tuple':
      return `(tuple${node.elts.map((elt) => ` ${show(elt)}`).join('')})`;
    case 'Set':
      return `{${node.elts.map(show).join(' ')}}`;
    case 'Dict':
      return `(dict${node.values.map((value, index) => ` ${node.keys[index] ? `${show(node.keys[index])}:` : '**'}${show(value)}`).join('')})`;
    case 'ListComp':
    case 'SetComp':
    case 'GeneratorExp':
      return `(${node.type} ${show(node.elt)} ${node.generators.map(show).join(' ')})`;
    case 'DictComp':
      return `(DictComp ${show(node.key)}:${show(node.value)} ${node.generators.map(show).join(' ')})`;
    case 'Comprehension':
      return `(for ${show(node.target)} ${show(node.iter)}${node.ifs.map((test) => ` (if ${show(test)})`).join('')})`;
    case 'Starred':
      return `*${show(node.value)}`;
    case 'NamedExpr':
      return `(:= ${show(node.target)} ${show(node.value)})`;
    case 'Yield':
      return `(${node.isFrom ? 'yield-from' : 'yield'} ${show(node.value)})`;
    case 'ErrorExpr':
      return '<error>';
    default:
      return `<${node.type}>`;
  }
}

/** Checks what every detector relies on: spans inside the text, parents pointing back. */
export function assertWellFormed(module: PyModule, text: string): void {
  let count = 0;
  walkPython(module, (node) => {
    count++;
    assert.ok(node.start >= 0 && node.start <= node.end && node.end <= text.length, `${node.type} span ${node.start}-${node.end} outside 0-${text.length}`);
    if (node !== module) assert.ok(node.parent, `${node.type} at ${node.start} has no parent`);
  });
  assert.ok(count >= 1);
  for (const error of module.errors) assert.ok(!error.message.startsWith('internal'), error.message);
}
