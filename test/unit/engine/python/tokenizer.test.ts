import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { tokenizePython, tokenizeRange, type PyToken } from '../../../../server/src/engine/python/tokenizer';
import { allFixtures } from './pythonTestSupport';

/** `KIND:text` per token, the way Python's `tokenize` prints them, minus ENDMARKER. */
function kinds(text: string): string[] {
  return tokenizePython(text)
    .filter((token) => token.kind !== 'ENDMARKER')
    .map((token) => (token.value && token.kind !== 'NEWLINE' && token.kind !== 'NL' ? `${token.kind}:${token.value}` : token.kind));
}

function stringToken(text: string): PyToken {
  const token = tokenizePython(text).find((candidate) => candidate.kind === 'STRING');
  assert.ok(token, `no string in ${text}`);
  return token;
}

/** Token invariants every consumer relies on. */
function assertTokenInvariants(text: string, tokens: PyToken[]): void {
  let previousEnd = 0;
  let indents = 0;
  for (const token of tokens) {
    assert.ok(token.start >= previousEnd, `${token.kind} at ${token.start} overlaps the previous token ending at ${previousEnd}`);
    assert.ok(token.end >= token.start && token.end <= text.length);
    assert.equal(token.value, text.slice(token.start, token.end));
    previousEnd = token.end;
    if (token.kind === 'INDENT') indents++;
    if (token.kind === 'DEDENT') indents--;
    assert.ok(indents >= 0, 'DEDENT without INDENT');
  }
  assert.equal(indents, 0, 'INDENT and DEDENT must balance');
  assert.equal(tokens[tokens.length - 1].kind, 'ENDMARKER');
}

describe('python tokenizer', () => {
  it('produces Python tokenize kinds with logical lines, indentation and comments', () => {
    const text = 'def f(a, b):  # add\n    return a ** b\n\n# done\nx = 1\n';
    assert.deepEqual(kinds(text), [
      'NAME:def', 'NAME:f', 'OP:(', 'NAME:a', 'OP:,', 'NAME:b', 'OP:)', 'OP::', 'COMMENT:# add', 'NEWLINE',
      'INDENT:    ', 'NAME:return', 'NAME:a', 'OP:**', 'NAME:b', 'NEWLINE',
      'NL', 'COMMENT:# done', 'NL',
      'DEDENT', 'NAME:x', 'OP:=', 'NUMBER:1', 'NEWLINE',
    ]);
  });

  it('gives every token UTF-16 offsets into the text', () => {
    const text = 'naïve = "é😀"\nπ = 1\n';
    const tokens = tokenizePython(text);
    const name = tokens[0];
    assert.deepEqual([name.kind, name.start, name.end], ['NAME', 0, 5]);
    const string = tokens[2];
    assert.deepEqual([string.kind, string.start, string.end, string.value], ['STRING', 8, 13, '"é😀"']);
    const pi = tokens[4];
    assert.deepEqual([pi.kind, pi.value, pi.start], ['NAME', 'π', 14]);
  });

  it('joins lines inside brackets (NL, no INDENT) and after a backslash', () => {
    assert.deepEqual(kinds('x = [\n    1,\n        2]\ny = 1 + \\\n    2\n'), [
      'NAME:x', 'OP:=', 'OP:[', 'NL', 'NUMBER:1', 'OP:,', 'NL', 'NUMBER:2', 'OP:]', 'NEWLINE',
      'NAME:y', 'OP:=', 'NUMBER:1', 'OP:+', 'NUMBER:2', 'NEWLINE',
    ]);
  });

  it('recognises every operator, longest first', () => {
    const operators = ['**=', '//=', '>>=', '<<=', '...', '**', '//', ':=', '->', '!=', '==', '<=', '>=', '<<', '>>', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '@=', '@', '~', '<>'];
    assert.deepEqual(
      kinds(`a ${operators.join(' a ')} a`).filter((kind) => kind.startsWith('OP:')),
      operators.map((op) => `OP:${op}`),
    );
    assert.deepEqual(kinds('x[1:2]'), ['NAME:x', 'OP:[', 'NUMBER:1', 'OP::', 'NUMBER:2', 'OP:]', 'NEWLINE']);
  });

  it('reads numbers in every notation, and does not eat a following keyword', () => {
    assert.deepEqual(
      kinds('0x1F 0o17 0b1010 1_000_000 3.14 .5 1. 1e10 1.5E-3 2j 10L 0777').filter((kind) => kind !== 'NEWLINE'),
      ['NUMBER:0x1F', 'NUMBER:0o17', 'NUMBER:0b1010', 'NUMBER:1_000_000', 'NUMBER:3.14', 'NUMBER:.5', 'NUMBER:1.', 'NUMBER:1e10', 'NUMBER:1.5E-3', 'NUMBER:2j', 'NUMBER:10L', 'NUMBER:0777'],
    );
    assert.deepEqual(kinds('1if x else 2'), ['NUMBER:1', 'NAME:if', 'NAME:x', 'NAME:else', 'NUMBER:2', 'NEWLINE']);
  });

  describe('strings', () => {
    it('reads prefixes in any case and combination', () => {
      const cases: [string, Partial<Record<'raw' | 'bytes' | 'unicode' | 'formatted' | 'template', boolean>>][] = [
        ["'a'", {}],
        ["r'a'", { raw: true }],
        ["B'a'", { bytes: true }],
        ["u'a'", { unicode: true }],
        ["f'a'", { formatted: true }],
        ["rb'a'", { raw: true, bytes: true }],
        ["Br'a'", { raw: true, bytes: true }],
        ["fR'a'", { raw: true, formatted: true }],
        ["Rf'a'", { raw: true, formatted: true }],
        ["t'a'", { template: true }],
        ["ur'a'", { raw: true, unicode: true }],
      ];
      for (const [source, expected] of cases) {
        const info = stringToken(source).string!;
        const flags = { raw: info.raw, bytes: info.bytes, unicode: info.unicode, formatted: info.formatted, template: info.template };
        assert.deepEqual(flags, { raw: false, bytes: false, unicode: false, formatted: false, template: false, ...expected }, source);
        assert.equal(info.prefix, source.slice(0, source.indexOf("'")));
      }
      // Not prefixes: a name followed by a string.
      assert.deepEqual(kinds("bf'a'"), ['NAME:bf', "STRING:'a'", 'NEWLINE']);
      assert.deepEqual(kinds("print'a'"), ['NAME:print', "STRING:'a'", 'NEWLINE']);
    });

    it('records the raw source span and the body between the quotes', () => {
      const text = 'x = rb"""two\nlines""" + 1';
      const token = stringToken(text);
      assert.equal(token.value, 'rb"""two\nlines"""');
      assert.equal(token.start, 4);
      const info = token.string!;
      assert.deepEqual([info.quote, info.triple, info.terminated], ['"', true, true]);
      assert.equal(text.slice(info.bodyStart, info.bodyEnd), 'two\nlines');
    });

    it('does not end a string at an escaped quote, raw or not', () => {
      assert.equal(stringToken(String.raw`'it\'s' + x`).value, String.raw`'it\'s'`);
      assert.equal(stringToken(String.raw`r"\"" + x`).value, String.raw`r"\""`);
      assert.equal(stringToken('"a\\\nb" + x').value, '"a\\\nb"');
    });

    it('ends an unterminated string at the line end (single quotes) or the file end (triple)', () => {
      const single = tokenizePython('x = "abc\ny = 2\n');
      const string = single.find((token) => token.kind === 'STRING')!;
      assert.deepEqual([string.value, string.string!.terminated], ['"abc', false]);
      assert.ok(single.some((token) => token.kind === 'NAME' && token.value === 'y'), 'the next line is still tokenized');
      const triple = stringToken('x = """abc\ny = 2\n');
      assert.deepEqual([triple.value, triple.string!.terminated], ['"""abc\ny = 2\n', false]);
    });

    it('records the span of each f-string replacement field and its expression', () => {
      const text = `f"SELECT {request.args['q']!r:>{width}} {{literal}} {x=} {a != b}"`;
      const fields = stringToken(text).string!.fields;
      assert.equal(fields.length, 3);
      const [query, selfDocumenting, notEqual] = [fields[0], fields[1], fields[2]];
      assert.equal(text.slice(query.start, query.end), `{request.args['q']!r:>{width}}`);
      assert.equal(text.slice(query.expressionStart, query.expressionEnd), `request.args['q']`);
      assert.equal(query.conversion, 'r');
      assert.equal(text.slice(query.formatSpecStart, query.formatSpecEnd), '>{width}');
      assert.equal(query.formatFields.length, 1);
      assert.equal(text.slice(query.formatFields[0].expressionStart, query.formatFields[0].expressionEnd), 'width');
      assert.equal(text.slice(selfDocumenting.expressionStart, selfDocumenting.expressionEnd), 'x');
      assert.equal(selfDocumenting.selfDocumenting, true);
      assert.equal(text.slice(notEqual.expressionStart, notEqual.expressionEnd), 'a != b');
      assert.equal(notEqual.selfDocumenting, false);
    });

    it('reads Python 3.12 f-strings: the same quote and whole f-strings nested inside fields', () => {
      const text = `f"{user["name"]} {f"{nested}"} {'}'}"`;
      const token = stringToken(text);
      assert.equal(token.value, text);
      const fields = token.string!.fields;
      assert.deepEqual(
        fields.map((field) => text.slice(field.expressionStart, field.expressionEnd)),
        ['user["name"]', 'f"{nested}"', "'}'"],
      );
    });

    it('lets a bracket inside a field span lines (Python 3.12), but not past a statement', () => {
      const multiLine = stringToken('x = f"{", ".join(\n    names\n)}"\ny = 1\n');
      assert.deepEqual([multiLine.value, multiLine.string!.terminated], ['f"{", ".join(\n    names\n)}"', true]);
      const tokens = tokenizePython('x = f"{foo(\ndef handler():\n    pass\n');
      assert.equal(tokens.find((token) => token.kind === 'STRING')!.value, 'f"{foo(');
      assert.ok(tokens.some((token) => token.kind === 'NAME' && token.value === 'handler'));
    });

    it('keeps an unclosed field inside its line', () => {
      const tokens = tokenizePython('x = f"hello {name\ny = 2\n');
      const string = tokens.find((token) => token.kind === 'STRING')!;
      assert.equal(string.string!.terminated, false);
      assert.equal(string.string!.fields[0].terminated, false);
      assert.ok(tokens.some((token) => token.kind === 'NAME' && token.value === 'y'));
    });
  });

  describe('indentation', () => {
    it('balances INDENT and DEDENT, with tabs counted to the next multiple of 8', () => {
      const text = 'if a:\n\tif b:\n\t\tx\n        y\nz\n';
      assert.deepEqual(kinds(text).filter((kind) => /^(INDENT|DEDENT|NAME)/.test(kind)).map((kind) => kind.replace(/^INDENT.*/s, 'INDENT')), [
        'NAME:if', 'NAME:a', 'INDENT', 'NAME:if', 'NAME:b', 'INDENT', 'NAME:x', 'DEDENT', 'NAME:y', 'DEDENT', 'NAME:z',
      ]);
    });

    it('keeps tokens balanced when a dedent matches no outer level', () => {
      const text = 'def f():\n        x = 1\n    y = 2\nz = 3\n';
      const tokens = tokenizePython(text);
      assertTokenInvariants(text, tokens);
    });

    it('closes every open block at the end of the file', () => {
      const tokens = tokenizePython('class A:\n    def f(self):\n        return 1');
      assert.deepEqual(tokens.slice(-4).map((token) => token.kind), ['NEWLINE', 'DEDENT', 'DEDENT', 'ENDMARKER']);
    });

    it('ignores the indentation of blank and comment-only lines', () => {
      assert.deepEqual(kinds('if a:\n    x\n# comment\n\n    y\n').filter((kind) => /^(INDENT|DEDENT)/.test(kind)), ['INDENT:    ', 'DEDENT']);
    });
  });

  describe('awkward input', () => {
    it('handles CRLF and lone CR line endings', () => {
      const text = 'a = 1\r\nif a:\r\n    b = 2\rc = 3';
      const tokens = tokenizePython(text);
      assertTokenInvariants(text, tokens);
      assert.deepEqual(tokens.filter((token) => token.kind === 'NEWLINE').map((token) => token.value), ['\r\n', '\r\n', '\r', '']);
      assert.equal(tokens.find((token) => token.value === 'c')!.start, text.indexOf('c'));
    });

    it('skips a byte order mark and reports NUL bytes and stray characters as ERRORTOKEN', () => {
      assert.deepEqual(kinds('\uFEFFx = 1'), ['NAME:x', 'OP:=', 'NUMBER:1', 'NEWLINE']);
      assert.deepEqual(kinds('a\0b $ ? `c` !'), ['NAME:a', 'ERRORTOKEN:\0', 'NAME:b', 'ERRORTOKEN:$', 'ERRORTOKEN:?', 'ERRORTOKEN:`', 'NAME:c', 'ERRORTOKEN:`', 'ERRORTOKEN:!', 'NEWLINE']);
    });

    it('treats pasted no-break and zero-width spaces as blanks', () => {
      assert.deepEqual(kinds('x\u00a0=\u200b1'), ['NAME:x', 'OP:=', 'NUMBER:1', 'NEWLINE']);
    });

    it('ends an unclosed bracket at a line that can only start a statement', () => {
      const text = 'app.route("/x"\ndef handler():\n    return 1\n';
      const tokens = kinds(text);
      assert.deepEqual(tokens.slice(0, 8), ['NAME:app', 'OP:.', 'NAME:route', 'OP:(', 'STRING:"/x"', 'NL', 'NEWLINE', 'NAME:def']);
      assert.ok(tokens.includes('INDENT:    '), 'the function body is indented again');
    });

    it('keeps valid multi-line expressions joined, even when lines start with expression keywords', () => {
      const text = 'x = [a\nfor a in b\nif a]\ny = (a\nif b\nelse c)\n';
      assert.equal(kinds(text).filter((kind) => kind === 'NEWLINE').length, 2);
    });
  });

  it('tokenizes part of a file in place, as if inside brackets', () => {
    const text = 'x = f"{request.args[\n  \'q\']}"\n';
    const field = stringToken(text).string!.fields[0];
    const tokens = tokenizeRange(text, field.expressionStart, field.expressionEnd, true);
    assert.deepEqual(tokens.map((token) => token.kind), ['NAME', 'OP', 'NAME', 'OP', 'NL', 'STRING', 'OP', 'ENDMARKER']);
    assert.equal(tokens[0].start, text.indexOf('request'));
    assert.equal(tokens[tokens.length - 1].start, field.expressionEnd);
  });

  it('keeps its invariants on every fixture', () => {
    for (const [name, text] of allFixtures()) {
      const tokens = tokenizePython(text);
      assertTokenInvariants(text, tokens);
      assert.ok(!tokens.some((token) => token.kind === 'ERRORTOKEN') || name.startsWith('legacy'), `${name} has error tokens`);
    }
  });

  it('keeps its invariants on arbitrary text', () => {
    const pieces = ['(', ')', '[', ']', '{', '}', '"', "'", '"""', 'f"', "f'{", '}', '\\', '\n', '\r\n', '\t', '    ', '#', 'def', 'x', '1', '=', ':', '.', '\0', 'é', '😀', '\uFEFF', '@'];
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string()), { maxLength: 60 }), (parts) => {
        const text = parts.join('');
        assertTokenInvariants(text, tokenizePython(text));
      }),
      { numRuns: 500 },
    );
  });
});
