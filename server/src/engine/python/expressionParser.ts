import type {
  PyComprehension,
  PyExpr,
  PyFormattedValue,
  PyKeyword,
  PyParam,
  PyParamKind,
  PyStrPart,
  PyStr,
  PyYield,
} from './ast';
import { decodeStringBody } from './decodeString';
import { TokenCursor } from './tokenCursor';
import { tokenizeRange } from './tokenizer';
import type { PyStringField, PyToken } from './tokens';

/** Hard keywords that cannot begin an expression (True/False/None/not/lambda/await can). */
export const NON_EXPRESSION_KEYWORDS = new Set([
  'and', 'as', 'assert', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except',
  'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'nonlocal', 'or', 'pass',
  'raise', 'return', 'try', 'while', 'with', 'yield',
]);

const EXPRESSION_START_OPERATORS = new Set(['(', '[', '{', '-', '+', '~', '...', '*']);

/** Binary operators by binding strength (higher binds tighter), as in Python's grammar. */
const BINARY_PRECEDENCE = new Map<string, number>([
  ['|', 1], ['^', 2], ['&', 3], ['<<', 4], ['>>', 4], ['+', 5], ['-', 5],
  ['*', 6], ['@', 6], ['/', 6], ['//', 6], ['%', 6],
]);

const COMPARISON_OPERATORS = new Set(['<', '>', '==', '>=', '<=', '!=', '<>']);

/** The parser's view of a token stream: comments and non-logical line breaks dropped. */
export function withoutTrivia(tokens: PyToken[]): PyToken[] {
  return tokens.filter((token) => token.kind !== 'COMMENT' && token.kind !== 'NL');
}

function numberValue(raw: string): number {
  const digits = raw.replace(/_/g, '').replace(/[jJlL]$/, '');
  // `0777` is a Python 2 octal literal.
  return /^0[0-7]+$/.test(digits) ? parseInt(digits, 8) : Number(digits);
}

/**
 * Recursive descent over Python's expression grammar. Every method returns a node (an
 * ErrorExpr when nothing fits) and leaves the cursor where parsing can continue; recursion
 * passes through `enter()` so nesting is bounded.
 *
 * Node literals here and in the statement parser list `parent: undefined` up front: linking
 * parents afterwards then fills a slot every object already has, instead of growing each of
 * tens of thousands of objects (measurably faster, less garbage).
 */
export class ExpressionParser extends TokenCursor {
  /** How many f-strings enclose the tokens being parsed (see tokenizeRange). */
  private fStringNesting = 0;

  /** `lastEnd`, but never before `start` (a zero-width error node may sit after the last token). */
  protected endFrom(start: number): number {
    return Math.max(start, this.lastEnd);
  }

  protected canStartExpression(token: PyToken): boolean {
    switch (token.kind) {
      case 'NAME':
        return !NON_EXPRESSION_KEYWORDS.has(token.value);
      case 'NUMBER':
      case 'STRING':
        return true;
      case 'OP':
        return EXPRESSION_START_OPERATORS.has(token.value);
      default:
        return false;
    }
  }

  protected atComprehension(): boolean {
    return this.atName('for') || (this.atName('async') && this.peek().kind === 'NAME' && this.peek().value === 'for');
  }

  /** `a, *b` as one expression: a Tuple when there is a comma (statement values, `return`, `for … in`). */
  protected parseStarExpressions(): PyExpr {
    const start = this.tok.start;
    const first = this.parseNamedOrStarred();
    if (!this.atOp(',')) return first;
    const elts = [first];
    while (this.eatOp(',')) {
      if (!this.canStartExpression(this.tok)) break;
      elts.push(this.parseNamedOrStarred());
    }
    return { type: 'Tuple', parent: undefined, start, end: this.endFrom(start), elts, parenthesized: false };
  }

  /** A right-hand side: `yield …` is allowed wherever an assignment value is. */
  protected parseValueOrYield(): PyExpr {
    return this.atName('yield') ? this.parseYield() : this.parseStarExpressions();
  }

  protected parseNamedOrStarred(): PyExpr {
    if (!this.atOp('*')) return this.parseNamedExpr();
    const start = this.advance().start;
    const value = this.parseBinary(0);
    return { type: 'Starred', parent: undefined, start, end: this.endFrom(start), value };
  }

  protected parseNamedExpr(): PyExpr {
    const target = this.parseTest();
    if (!this.atOp(':=')) return target;
    this.advance();
    const value = this.parseTest();
    return { type: 'NamedExpr', parent: undefined, start: target.start, end: this.endFrom(target.start), target, value };
  }

  /** Python's `expression`: lambda, conditional expression, or anything below. */
  protected parseTest(): PyExpr {
    if (!this.enter()) return this.tooDeep();
    const result = this.atName('lambda') ? this.parseLambda() : this.parseConditional();
    this.leave();
    return result;
  }

  private parseConditional(): PyExpr {
    const body = this.parseOrTest();
    if (!this.atName('if')) return body;
    this.advance();
    const test = this.parseOrTest();
    const orelse = this.eatName('else') ? this.parseTest() : this.errorExpr("expected 'else'", this.tok.start);
    return { type: 'IfExp', parent: undefined, start: body.start, end: this.endFrom(body.start), test, body, orelse };
  }

  private parseLambda(): PyExpr {
    const start = this.advance().start;
    const params = this.parseParams(true);
    if (!this.eatOp(':')) this.error("expected ':' after lambda parameters", this.tok.start);
    const body = this.parseTest();
    return { type: 'Lambda', parent: undefined, start, end: this.endFrom(start), params, body };
  }

  /**
   * Parameters of a `def` (up to the closing parenthesis, not consumed) or of a lambda (up
   * to the colon). Bare `*` switches to keyword-only; `/` marks what came before positional-only.
   */
  protected parseParams(lambda: boolean): PyParam[] {
    const params: PyParam[] = [];
    let kind: PyParamKind = 'positional';
    const atEnd = (): boolean => this.atLineEnd() || this.atCloser() || (lambda && this.atOp(':'));
    const stop = (token: PyToken): boolean => token.kind === 'OP' && (token.value === ',' || (lambda && token.value === ':'));
    while (!atEnd()) {
      const token = this.tok;
      if (token.kind === 'OP' && token.value === '/') {
        this.advance();
        for (const param of params) if (param.kind === 'positional') param.kind = 'positionalOnly';
      } else if (token.kind === 'OP' && token.value === '*') {
        this.advance();
        if (this.at('NAME')) params.push(this.parseParam(token.start, 'vararg', lambda));
        kind = 'keywordOnly';
      } else if (token.kind === 'OP' && token.value === '**') {
        this.advance();
        if (this.at('NAME')) params.push(this.parseParam(token.start, 'kwarg', lambda));
        else this.error('expected a parameter name after **', this.tok.start);
      } else if (token.kind === 'NAME' && !NON_EXPRESSION_KEYWORDS.has(token.value)) {
        params.push(this.parseParam(token.start, kind, lambda));
      } else {
        this.skipBalanced(stop);
        this.error('unexpected token in parameters', token.start, Math.max(token.end, this.lastEnd));
      }
      if (this.eatOp(',')) continue;
      if (atEnd()) break;
      const junk = this.tok;
      this.skipBalanced(stop);
      this.error('unexpected token in parameters', junk.start, Math.max(junk.end, this.lastEnd));
      if (!this.eatOp(',')) break;
    }
    return params;
  }

  private parseParam(start: number, kind: PyParamKind, lambda: boolean): PyParam {
    const name = this.advance().value;
    const annotation = !lambda && this.eatOp(':') ? this.parseTest() : undefined;
    const value = (kind === 'positional' || kind === 'keywordOnly') && this.eatOp('=') ? this.parseTest() : undefined;
    const param: PyParam = { type: 'Param', parent: undefined, start, end: this.endFrom(start), name, kind };
    if (annotation) param.annotation = annotation;
    if (value) param.default = value;
    return param;
  }

  protected parseOrTest(): PyExpr {
    const first = this.parseAndTest();
    if (!this.atName('or')) return first;
    const values = [first];
    while (this.eatName('or')) values.push(this.parseAndTest());
    return { type: 'BoolOp', parent: undefined, start: first.start, end: this.endFrom(first.start), op: 'or', values };
  }

  private parseAndTest(): PyExpr {
    const first = this.parseNotTest();
    if (!this.atName('and')) return first;
    const values = [first];
    while (this.eatName('and')) values.push(this.parseNotTest());
    return { type: 'BoolOp', parent: undefined, start: first.start, end: this.endFrom(first.start), op: 'and', values };
  }

  private parseNotTest(): PyExpr {
    if (!this.atName('not')) return this.parseComparison();
    const start = this.advance().start;
    if (!this.enter()) return this.tooDeep();
    const operand = this.parseNotTest();
    this.leave();
    return { type: 'UnaryOp', parent: undefined, start, end: this.endFrom(start), op: 'not', operand };
  }

  private parseComparison(): PyExpr {
    const left = this.parseBinary(0);
    let operator = this.comparisonOperator();
    if (!operator) return left;
    const ops: string[] = [];
    const comparators: PyExpr[] = [];
    while (operator) {
      ops.push(operator);
      comparators.push(this.parseBinary(0));
      operator = this.comparisonOperator();
    }
    return { type: 'Compare', parent: undefined, start: left.start, end: this.endFrom(left.start), left, ops, comparators };
  }

  private comparisonOperator(): string | undefined {
    const token = this.tok;
    if (token.kind === 'OP' && COMPARISON_OPERATORS.has(token.value)) {
      this.advance();
      return token.value === '<>' ? '!=' : token.value;
    }
    if (token.kind !== 'NAME') return undefined;
    if (token.value === 'in') {
      this.advance();
      return 'in';
    }
    if (token.value === 'not' && this.peek().kind === 'NAME' && this.peek().value === 'in') {
      this.advance();
      this.advance();
      return 'not in';
    }
    if (token.value === 'is') {
      this.advance();
      return this.eatName('not') ? 'is not' : 'is';
    }
    return undefined;
  }

  /** Precedence climbing over `|` … `%`; recursion depth is bounded by the number of levels. */
  protected parseBinary(minPrecedence: number): PyExpr {
    let left = this.parseUnary();
    for (;;) {
      const token = this.tok;
      if (token.kind !== 'OP') break;
      const precedence = BINARY_PRECEDENCE.get(token.value);
      if (precedence === undefined || precedence < minPrecedence) break;
      this.advance();
      const right = this.parseBinary(precedence + 1);
      left = { type: 'BinOp', parent: undefined, start: left.start, end: this.endFrom(left.start), left, op: token.value, right };
    }
    return left;
  }

  private parseUnary(): PyExpr {
    const token = this.tok;
    if (token.kind !== 'OP' || (token.value !== '-' && token.value !== '+' && token.value !== '~')) return this.parsePower();
    this.advance();
    if (!this.enter()) return this.tooDeep();
    const operand = this.parseUnary();
    this.leave();
    return { type: 'UnaryOp', parent: undefined, start: token.start, end: this.endFrom(token.start), op: token.value, operand };
  }

  private parsePower(): PyExpr {
    const base = this.parseAwaitPrimary();
    if (!this.atOp('**')) return base;
    this.advance();
    let exponent: PyExpr;
    if (this.enter()) {
      exponent = this.parseUnary();
      this.leave();
    } else {
      exponent = this.tooDeep();
    }
    return { type: 'BinOp', parent: undefined, start: base.start, end: this.endFrom(base.start), left: base, op: '**', right: exponent };
  }

  private parseAwaitPrimary(): PyExpr {
    if (!this.atName('await') || !this.canStartExpression(this.peek())) return this.parsePrimary();
    const start = this.advance().start;
    const value = this.parsePrimary();
    return { type: 'Await', parent: undefined, start, end: this.endFrom(start), value };
  }

  /** An atom followed by any number of `.name`, `(…)` and `[…]` — a loop, so long chains cost no stack. */
  private parsePrimary(): PyExpr {
    let expr = this.parseAtom();
    for (;;) {
      const token = this.tok;
      if (token.kind !== 'OP') return expr;
      if (token.value === '.') {
        this.advance();
        const name = this.tok;
        if (name.kind === 'NAME') {
          this.advance();
          expr = { type: 'Attribute', parent: undefined, start: expr.start, end: name.end, value: expr, attr: name.value, attrStart: name.start };
        } else {
          this.error('expected a name after "."', token.end);
          expr = { type: 'Attribute', parent: undefined, start: expr.start, end: token.end, value: expr, attr: '', attrStart: token.end };
        }
      } else if (token.value === '(') {
        const { args, keywords } = this.parseArguments();
        expr = { type: 'Call', parent: undefined, start: expr.start, end: this.endFrom(expr.start), func: expr, args, keywords };
      } else if (token.value === '[') {
        expr = this.parseSubscript(expr);
      } else {
        return expr;
      }
    }
  }

  /** `(…)` of a call or a class's bases, from the opening parenthesis through the closing one. */
  protected parseArguments(): { args: PyExpr[]; keywords: PyKeyword[] } {
    const open = this.advance();
    const args: PyExpr[] = [];
    const keywords: PyKeyword[] = [];
    this.parseCommaList(() => {
      const token = this.tok;
      if (token.kind === 'OP' && (token.value === '*' || token.value === '**')) {
        this.advance();
        const value = this.parseTest();
        if (token.value === '*') args.push({ type: 'Starred', parent: undefined, start: token.start, end: this.endFrom(token.start), value });
        else keywords.push({ type: 'Keyword', parent: undefined, start: token.start, end: this.endFrom(token.start), value });
        return;
      }
      const next = this.peek();
      if (token.kind === 'NAME' && next.kind === 'OP' && next.value === '=') {
        this.advance();
        this.advance();
        const value = this.parseTest();
        keywords.push({ type: 'Keyword', parent: undefined, start: token.start, end: this.endFrom(token.start), arg: token.value, value });
        return;
      }
      const value = this.parseNamedExpr();
      if (this.atComprehension()) {
        const generators = this.parseComprehensions();
        args.push({ type: 'GeneratorExp', parent: undefined, start: value.start, end: this.endFrom(value.start), elt: value, generators });
      } else {
        args.push(value);
      }
    });
    this.expectCloser(')', open.start);
    return { args, keywords };
  }

  private parseSubscript(value: PyExpr): PyExpr {
    const open = this.advance();
    const start = this.tok.start;
    const items: PyExpr[] = [];
    const sawComma = this.parseCommaList(() => items.push(this.parseSliceItem()));
    let slice: PyExpr;
    if (items.length === 0) slice = this.errorExpr('expected a subscript', this.tok.start);
    else if (items.length === 1 && !sawComma) slice = items[0];
    else slice = { type: 'Tuple', parent: undefined, start, end: this.endFrom(start), elts: items, parenthesized: false };
    this.expectCloser(']', open.start);
    return { type: 'Subscript', parent: undefined, start: value.start, end: this.endFrom(value.start), value, slice };
  }

  private parseSliceItem(): PyExpr {
    if (this.atOp('*')) return this.parseNamedOrStarred();
    const start = this.tok.start;
    let lower: PyExpr | undefined;
    if (!this.atOp(':')) {
      lower = this.parseNamedExpr();
      if (!this.atOp(':')) return lower;
    }
    this.advance();
    const atBoundary = (): boolean => this.atOp(':') || this.atOp(',') || this.atCloser() || this.atLineEnd();
    const upper = atBoundary() ? undefined : this.parseTest();
    let step: PyExpr | undefined;
    if (this.eatOp(':') && !atBoundary()) step = this.parseTest();
    return { type: 'Slice', parent: undefined, start, end: this.endFrom(start), lower, upper, step };
  }

  /**
   * Items separated by commas up to a closing bracket or the line end (neither consumed).
   * Junk between items is skipped to the next comma and reported. Returns whether a comma was seen.
   */
  protected parseCommaList(parseItem: () => void): boolean {
    if (this.atCloser() || this.atLineEnd()) return false;
    parseItem();
    return this.continueCommaList(parseItem);
  }

  private continueCommaList(parseItem: () => void): boolean {
    let sawComma = false;
    for (;;) {
      if (this.eatOp(',')) {
        sawComma = true;
        if (this.atCloser() || this.atLineEnd()) return sawComma;
        parseItem();
        continue;
      }
      if (this.atCloser() || this.atLineEnd()) return sawComma;
      const junk = this.tok;
      this.skipBalanced((token) => token.kind === 'OP' && token.value === ',');
      this.error(`unexpected '${junk.value}'`, junk.start, Math.max(junk.end, this.lastEnd));
      if (!this.atOp(',')) return sawComma;
    }
  }

  private parseAtom(): PyExpr {
    const token = this.tok;
    switch (token.kind) {
      case 'NAME':
        return this.parseNameAtom(token);
      case 'NUMBER':
        this.advance();
        return { type: 'Num', parent: undefined, start: token.start, end: token.end, raw: token.value, value: numberValue(token.value) };
      case 'STRING':
        return this.parseStrings();
      case 'OP':
        switch (token.value) {
          case '(':
            return this.parseParenthesized();
          case '[':
            return this.parseListDisplay();
          case '{':
            return this.parseBraceDisplay();
          case '...':
            this.advance();
            return { type: 'Constant', parent: undefined, start: token.start, end: token.end, value: 'Ellipsis' };
        }
        return this.errorExpr('expected an expression', token.start);
      case 'ERRORTOKEN':
        this.advance();
        return this.errorExpr(`unexpected character '${token.value}'`, token.start, token.end);
      default:
        return this.errorExpr('expected an expression', token.start);
    }
  }

  private parseNameAtom(token: PyToken): PyExpr {
    switch (token.value) {
      case 'True':
      case 'False':
      case 'None':
        this.advance();
        return { type: 'Constant', parent: undefined, start: token.start, end: token.end, value: token.value };
      case 'lambda':
      case 'not':
        // Only valid in parentheses here (`a + not b` is a syntax error), but harmless to accept.
        return this.parseTest();
    }
    if (NON_EXPRESSION_KEYWORDS.has(token.value)) return this.errorExpr(`unexpected '${token.value}'`, token.start);
    this.advance();
    return { type: 'Name', parent: undefined, start: token.start, end: token.end, id: token.value };
  }

  private parseParenthesized(): PyExpr {
    const open = this.advance();
    if (this.atCloser()) {
      this.expectCloser(')', open.start);
      return { type: 'Tuple', parent: undefined, start: open.start, end: this.lastEnd, elts: [], parenthesized: true };
    }
    if (this.atName('yield')) {
      const value = this.parseYield();
      this.expectCloser(')', open.start);
      return value;
    }
    const first = this.parseNamedOrStarred();
    if (this.atComprehension()) {
      const generators = this.parseComprehensions();
      this.expectCloser(')', open.start);
      return { type: 'GeneratorExp', parent: undefined, start: open.start, end: this.endFrom(open.start), elt: first, generators };
    }
    if (!this.atOp(',')) {
      this.expectCloser(')', open.start);
      return first;
    }
    const elts = [first];
    this.continueCommaList(() => elts.push(this.parseNamedOrStarred()));
    this.expectCloser(')', open.start);
    return { type: 'Tuple', parent: undefined, start: open.start, end: this.endFrom(open.start), elts, parenthesized: true };
  }

  private parseListDisplay(): PyExpr {
    const open = this.advance();
    const elts: PyExpr[] = [];
    if (!this.atCloser() && !this.atLineEnd()) {
      const first = this.parseNamedOrStarred();
      if (this.atComprehension()) {
        const generators = this.parseComprehensions();
        this.expectCloser(']', open.start);
        return { type: 'ListComp', parent: undefined, start: open.start, end: this.endFrom(open.start), elt: first, generators };
      }
      elts.push(first);
      this.continueCommaList(() => elts.push(this.parseNamedOrStarred()));
    }
    this.expectCloser(']', open.start);
    return { type: 'List', parent: undefined, start: open.start, end: this.endFrom(open.start), elts };
  }

  private parseBraceDisplay(): PyExpr {
    const open = this.advance();
    if (this.atCloser() || this.atLineEnd()) {
      this.expectCloser('}', open.start);
      return { type: 'Dict', parent: undefined, start: open.start, end: this.endFrom(open.start), keys: [], values: [] };
    }
    const keys: (PyExpr | null)[] = [];
    const values: PyExpr[] = [];
    const parseEntry = (): void => {
      if (this.eatOp('**')) {
        keys.push(null);
        values.push(this.parseBinary(0));
        return;
      }
      keys.push(this.parseTest());
      values.push(this.eatOp(':') ? this.parseTest() : this.errorExpr("expected ':' in dict", this.tok.start));
    };
    if (this.atOp('**')) {
      parseEntry();
    } else {
      const first = this.parseNamedOrStarred();
      if (!this.eatOp(':')) return this.finishSet(open, first);
      const value = this.parseTest();
      if (this.atComprehension()) {
        const generators = this.parseComprehensions();
        this.expectCloser('}', open.start);
        return { type: 'DictComp', parent: undefined, start: open.start, end: this.endFrom(open.start), key: first, value, generators };
      }
      keys.push(first);
      values.push(value);
    }
    this.continueCommaList(parseEntry);
    this.expectCloser('}', open.start);
    return { type: 'Dict', parent: undefined, start: open.start, end: this.endFrom(open.start), keys, values };
  }

  private finishSet(open: PyToken, first: PyExpr): PyExpr {
    if (this.atComprehension()) {
      const generators = this.parseComprehensions();
      this.expectCloser('}', open.start);
      return { type: 'SetComp', parent: undefined, start: open.start, end: this.endFrom(open.start), elt: first, generators };
    }
    const elts = [first];
    this.continueCommaList(() => elts.push(this.parseNamedOrStarred()));
    this.expectCloser('}', open.start);
    return { type: 'Set', parent: undefined, start: open.start, end: this.endFrom(open.start), elts };
  }

  private parseComprehensions(): PyComprehension[] {
    const generators: PyComprehension[] = [];
    while (this.atComprehension()) {
      const start = this.tok.start;
      const isAsync = this.eatName('async');
      this.advance();
      const target = this.parseTargetList();
      const iter = this.eatName('in') ? this.parseOrTest() : this.errorExpr("expected 'in'", this.tok.start);
      const ifs: PyExpr[] = [];
      while (this.eatName('if')) ifs.push(this.parseOrTest());
      generators.push({ type: 'Comprehension', parent: undefined, start, end: this.endFrom(start), isAsync, target, iter, ifs });
    }
    return generators;
  }

  /** Targets of `for … in`: parsed below comparisons so `in` is not swallowed. */
  protected parseTargetList(): PyExpr {
    const start = this.tok.start;
    const first = this.parseTarget();
    if (!this.atOp(',')) return first;
    const elts = [first];
    while (this.eatOp(',')) {
      if (this.atName('in') || this.atOp('=') || this.atOp(':') || this.atCloser() || this.atLineEnd()) break;
      elts.push(this.parseTarget());
    }
    return { type: 'Tuple', parent: undefined, start, end: this.endFrom(start), elts, parenthesized: false };
  }

  protected parseTarget(): PyExpr {
    if (!this.atOp('*')) return this.parseBinary(0);
    const start = this.advance().start;
    const value = this.parseBinary(0);
    return { type: 'Starred', parent: undefined, start, end: this.endFrom(start), value };
  }

  protected parseYield(): PyYield {
    const start = this.advance().start;
    if (this.eatName('from')) return { type: 'Yield', parent: undefined, start, end: this.endFrom(start), value: this.parseTest(), isFrom: true };
    const value = this.canStartExpression(this.tok) ? this.parseStarExpressions() : undefined;
    return { type: 'Yield', parent: undefined, start, end: this.endFrom(start), value, isFrom: false };
  }

  /** Adjacent string literals form one Str; f-string fields become parsed FormattedValues. */
  private parseStrings(): PyStr {
    const start = this.tok.start;
    const parts: PyStrPart[] = [];
    const interpolations: PyFormattedValue[] = [];
    while (this.at('STRING')) {
      const token = this.advance();
      const info = token.string!;
      const formatted = info.formatted || info.template;
      parts.push({
        start: token.start,
        end: token.end,
        prefix: info.prefix,
        quote: info.quote,
        triple: info.triple,
        raw: info.raw,
        bytes: info.bytes,
        formatted: info.formatted,
        template: info.template,
        terminated: info.terminated,
        value: formatted ? undefined : decodeStringBody(this.text, info.bodyStart, info.bodyEnd, info.raw, info.bytes),
      });
      if (!info.terminated) this.error('unterminated string', token.start, token.end);
      for (const field of info.fields) interpolations.push(this.parseField(field));
    }
    const isFString = parts.some((part) => part.formatted || part.template);
    return {
      type: 'Str',
      start,
      end: this.lastEnd,
      prefix: parts[0].prefix,
      isFString,
      isBytes: parts[0].bytes,
      value: isFString ? undefined : parts.map((part) => part.value).join(''),
      parts,
      interpolations,
    };
  }

  private parseField(field: PyStringField): PyFormattedValue {
    const expression = this.parseFieldExpression(field.expressionStart, field.expressionEnd);
    const formatSpec = field.formatFields.map((nested) => this.parseField(nested));
    const node: PyFormattedValue = { type: 'FormattedValue', parent: undefined, start: field.start, end: field.end, expression, selfDocumenting: field.selfDocumenting, formatSpec };
    if (field.conversion !== undefined) node.conversion = field.conversion;
    if (!field.terminated) this.error("f-string: expecting '}'", field.start, field.end);
    return node;
  }

  /** Parses a replacement field's expression from its own token stream, with offsets into the file. */
  private parseFieldExpression(start: number, end: number): PyExpr {
    if (!this.enter()) return this.errorExpr('nesting too deep to analyse', start, end);
    const saved = { tokens: this.tokens, pos: this.pos, lastEnd: this.lastEnd };
    this.fStringNesting++;
    this.tokens = withoutTrivia(tokenizeRange(this.text, start, end, true, this.fStringNesting));
    this.pos = 0;
    let expression: PyExpr;
    if (this.at('ENDMARKER')) {
      expression = this.errorExpr('f-string: empty expression', start, end);
    } else {
      expression = this.parseValueOrYield();
      if (!this.at('ENDMARKER')) this.error('f-string: unexpected tokens in expression', this.tok.start, end);
    }
    this.fStringNesting--;
    this.tokens = saved.tokens;
    this.pos = saved.pos;
    this.lastEnd = saved.lastEnd;
    this.leave();
    return expression;
  }
}
