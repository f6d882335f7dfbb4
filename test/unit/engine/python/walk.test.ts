import * as assert from 'node:assert/strict';
import type { PyCall } from '../../../../server/src/engine/python/ast';
import { parsePython } from '../../../../server/src/engine/python/parser';
import {
  calleeName,
  callName,
  decoratorName,
  dottedName,
  enclosingClass,
  enclosingFunction,
  enclosingScope,
  findAll,
  forEachChild,
  keywordArg,
  nodeText,
  positionalArg,
  stringValue,
  walkPython,
} from '../../../../server/src/engine/python/walk';
import { parseExpression, parseValid, show } from './pythonTestSupport';

function call(source: string): PyCall {
  const expr = parseExpression(source);
  assert.equal(expr.type, 'Call');
  return expr as PyCall;
}

describe('python tree helpers', () => {
  it('walks every node parents first, in source order, and can skip a subtree', () => {
    const module = parseValid('x = f(a, k=b, *c)\ndef g():\n    return h(d)\n');
    const names: string[] = [];
    walkPython(module, (node) => {
      if (node.type === 'Name') names.push(node.id);
    });
    assert.deepEqual(names, ['x', 'f', 'a', 'b', 'c', 'h', 'd']);
    const outside: string[] = [];
    walkPython(module, (node) => {
      if (node.type === 'FunctionDef') return false;
      if (node.type === 'Name') outside.push(node.id);
    });
    assert.deepEqual(outside, ['x', 'f', 'a', 'b', 'c']);
  });

  it('lists direct children with forEachChild', () => {
    const children: string[] = [];
    forEachChild(call('f(a, key=b)'), (child) => children.push(child.type));
    assert.deepEqual(children, ['Name', 'Name', 'Keyword']);
  });

  it('links every node to its parent', () => {
    const text = 'class V(View):\n    def get(self, request):\n        rows = run(lambda: request.GET["q"])\n';
    const module = parseValid(text);
    walkPython(module, (node) => {
      if (node === module) return;
      let found = false;
      forEachChild(node.parent!, (child) => {
        if (child === node) found = true;
      });
      assert.ok(found, `${node.type} is not a child of its parent ${node.parent!.type}`);
    });
    const [subscript] = findAll(module, 'Subscript');
    assert.equal(enclosingFunction(subscript)?.name, 'get');
    assert.equal(enclosingScope(subscript)?.type, 'Lambda');
    assert.equal(enclosingClass(subscript)?.name, 'V');
    assert.equal(enclosingFunction(module.body[0]), undefined);
  });

  it('names Name/Attribute chains, and nothing else', () => {
    assert.equal(dottedName(parseExpression('request.args.get')), 'request.args.get');
    assert.equal(dottedName(parseExpression('request')), 'request');
    assert.equal(dottedName(parseExpression('get_db().cursor')), undefined);
    assert.equal(dottedName(parseExpression('a[0].b')), undefined);
    assert.equal(dottedName(undefined), undefined);
  });

  it('names callees, through calls and subscripts too', () => {
    assert.equal(callName(call('cursor.execute(q)')), 'cursor.execute');
    assert.equal(callName(call('get_db().cursor().execute(q)')), 'get_db().cursor().execute');
    assert.equal(callName(call('app.config["X"].get("y")')), 'app.config[].get');
    assert.equal(callName(call('"".join(parts)')), undefined);
    assert.equal(calleeName(call('get_db().cursor().execute(q)')), 'execute');
    assert.equal(calleeName(call('open(path)')), 'open');
    assert.equal(calleeName(call('handlers[0](x)')), undefined);
  });

  it('finds keyword and positional arguments', () => {
    const run = call('subprocess.run(cmd, "x", shell=True, **rest)');
    assert.equal(show(keywordArg(run, 'shell')), 'True');
    assert.equal(keywordArg(run, 'check'), undefined);
    assert.equal(show(positionalArg(run, 1)), '"x"');
    assert.equal(positionalArg(run, 2), undefined);
    assert.equal(positionalArg(call('f(*args, b)'), 1), undefined, 'after *args positions are unknown');
  });

  it('reads plain string values only', () => {
    assert.equal(stringValue(parseExpression('"a" \'b\'')), 'ab');
    assert.equal(stringValue(parseExpression('f"{a}"')), undefined);
    assert.equal(stringValue(parseExpression('name')), undefined);
  });

  it('names decorators with or without a call', () => {
    const module = parseValid('@app.route("/")\n@login_required\n@a.b.c()\ndef f():\n    pass\n');
    const fn = module.body[0];
    assert.ok(fn.type === 'FunctionDef');
    assert.deepEqual(fn.decorators.map(decoratorName), ['app.route', 'login_required', 'a.b.c']);
  });

  it('returns node text by span', () => {
    const text = 'x = request.args["q"]';
    const [subscript] = findAll(parseValid(text), 'Subscript');
    assert.equal(nodeText(text, subscript), 'request.args["q"]');
  });

  it('walks trees far deeper than the call stack', () => {
    const text = `x = ${'a + '.repeat(100_000)}b\n`;
    const module = parsePython(text);
    let count = 0;
    walkPython(module, () => {
      count++;
    });
    assert.equal(count, 1 + 1 + 1 + 100_000 + 100_001);
    assert.equal(findAll(module, 'BinOp').length, 100_000);
  });
});
