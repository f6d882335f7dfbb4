import type {
  PyAlias,
  PyClassDef,
  PyErrorStatement,
  PyExceptHandler,
  PyExpr,
  PyFunctionDef,
  PyIf,
  PyMatch,
  PyMatchCase,
  PyStatement,
  PyWithItem,
} from './ast';
import { ExpressionParser, NON_EXPRESSION_KEYWORDS } from './expressionParser';

const AUGMENTED_ASSIGNMENT = new Set(['+=', '-=', '*=', '@=', '/=', '//=', '%=', '**=', '>>=', '<<=', '&=', '^=', '|=']);

/**
 * Statements and blocks. Indentation decides nesting (the tokenizer's INDENT/DEDENT); a line
 * that cannot be parsed becomes an ErrorStatement and parsing resumes on the next line; an
 * unexpected indented block is parsed as if it were not indented, so its code is still seen.
 */
export class StatementParser extends ExpressionParser {
  parseModule(): PyStatement[] {
    return this.parseStatements(false);
  }

  private parseStatements(inBlock: boolean): PyStatement[] {
    const body: PyStatement[] = [];
    let strayIndents = 0;
    for (;;) {
      const token = this.tok;
      if (token.kind === 'ENDMARKER') break;
      if (token.kind === 'DEDENT') {
        if (strayIndents === 0 && inBlock) break;
        if (strayIndents > 0) strayIndents--;
        this.advance();
        continue;
      }
      if (token.kind === 'INDENT') {
        this.error('unexpected indent', token.start, token.end);
        strayIndents++;
        this.advance();
        continue;
      }
      if (token.kind === 'NEWLINE') {
        this.advance();
        continue;
      }
      const before = this.pos;
      this.parseStatement(body);
      if (this.pos === before) {
        this.error(`unexpected '${token.value}'`, token.start, token.end);
        this.advance();
      }
    }
    return body;
  }

  /** Parses one statement (or one line of `;`-separated simple statements) into `body`. */
  private parseStatement(body: PyStatement[]): void {
    const token = this.tok;
    if (token.kind === 'OP' && token.value === '@') {
      body.push(this.parseDecorated());
      return;
    }
    if (token.kind === 'NAME') {
      switch (token.value) {
        case 'def':
          body.push(this.parseFunctionDef(token.start, false, []));
          return;
        case 'class':
          body.push(this.parseClassDef([]));
          return;
        case 'if':
          body.push(this.parseIf());
          return;
        case 'while':
          body.push(this.parseWhile());
          return;
        case 'for':
          body.push(this.parseFor(token.start, false));
          return;
        case 'try':
          body.push(this.parseTry());
          return;
        case 'with':
          body.push(this.parseWith(token.start, false));
          return;
        case 'async': {
          const next = this.peek();
          if (next.kind !== 'NAME' || (next.value !== 'def' && next.value !== 'for' && next.value !== 'with')) break;
          this.advance();
          if (next.value === 'def') body.push(this.parseFunctionDef(token.start, true, []));
          else if (next.value === 'for') body.push(this.parseFor(token.start, true));
          else body.push(this.parseWith(token.start, true));
          return;
        }
        case 'match':
          if (!this.looksLikeMatch()) break;
          body.push(this.parseMatch());
          return;
        case 'elif':
        case 'else':
        case 'except':
        case 'finally':
          this.parseDanglingClause(body);
          return;
      }
    }
    this.parseSimpleStatements(body);
  }

  /**
   * The block after a compound statement's header: the `:` then either an indented block or
   * statements on the same line. A missing colon is reported and skipped over.
   */
  private parseSuite(): PyStatement[] {
    if (!this.eatOp(':')) this.recoverColon();
    if (this.at('NEWLINE')) {
      this.advance();
      if (!this.at('INDENT')) {
        this.error('expected an indented block', this.tok.start);
        return [];
      }
      const indent = this.advance();
      if (!this.enter()) return [this.skipBlock(indent.end)];
      const body = this.parseStatements(true);
      this.leave();
      if (this.at('DEDENT')) this.advance();
      return body;
    }
    if (this.atLineEnd()) {
      this.error('expected an indented block', this.tok.start);
      return [];
    }
    const body: PyStatement[] = [];
    if (!this.enter()) {
      const start = this.tok.start;
      this.skipToLineEnd();
      if (this.at('NEWLINE')) this.advance();
      return [this.errorStatement('nesting too deep to analyse', start)];
    }
    this.parseStatement(body);
    this.leave();
    return body;
  }

  /** Finds the header's colon further along the line (`if x y:`), or reports it missing. */
  private recoverColon(): void {
    const start = this.tok.start;
    for (;;) {
      this.skipBalanced((token) => token.kind === 'OP' && token.value === ':');
      if (!this.atCloser()) break;
      this.advance(); // a stray closing bracket in the header
    }
    if (this.atOp(':')) {
      this.error("unexpected tokens before ':'", start, this.lastEnd);
      this.advance();
    } else {
      this.error("expected ':'", start);
    }
  }

  /** Passes over a block nested too deeply to parse: INDENT already consumed, through its DEDENT. */
  private skipBlock(start: number): PyErrorStatement {
    let level = 1;
    while (!this.at('ENDMARKER')) {
      const kind = this.advance().kind;
      if (kind === 'INDENT') level++;
      else if (kind === 'DEDENT' && --level === 0) break;
    }
    return this.errorStatement('nesting too deep to analyse', start);
  }

  private errorStatement(message: string, start: number, expressions: PyExpr[] = []): PyErrorStatement {
    this.error(message, start, this.endFrom(start));
    return { type: 'ErrorStatement', parent: undefined, start, end: this.endFrom(start), message, expressions };
  }

  private parseSimpleStatements(body: PyStatement[]): void {
    for (;;) {
      body.push(this.parseSmallStatement());
      if (!this.eatOp(';') || this.atLineEnd()) break;
    }
    this.endLine(body);
  }

  /**
   * Ends a line of simple statements. Anything left over (`print "x"` in Python 2, a typo)
   * turns the last statement into an ErrorStatement that keeps what parsed and what can be
   * recovered from the rest of the line.
   */
  private endLine(body: PyStatement[]): void {
    const token = this.tok;
    if (token.kind === 'NEWLINE') {
      this.advance();
      return;
    }
    if (this.atLineEnd()) return;
    const last = body.pop()!;
    const expressions = this.recoverExpressions();
    if (last.type === 'ErrorStatement') {
      last.expressions.push(...expressions);
      last.end = this.endFrom(last.start);
      body.push(last);
    } else {
      const message = `unexpected '${token.value}'`;
      this.error(message, token.start, this.endFrom(token.start));
      body.push({ type: 'ErrorStatement', parent: undefined, start: last.start, end: this.endFrom(last.start), message, partial: last, expressions });
    }
    if (this.at('NEWLINE')) this.advance();
  }

  /** Every expression that parses on the rest of the line, skipping tokens that do not. */
  private recoverExpressions(): PyExpr[] {
    const expressions: PyExpr[] = [];
    while (!this.atLineEnd()) {
      if (!this.canStartExpression(this.tok)) {
        this.advance();
        continue;
      }
      const before = this.pos;
      const expression = this.parseTest();
      if (this.pos === before) this.advance();
      else if (expression.type !== 'ErrorExpr') expressions.push(expression);
    }
    return expressions;
  }

  private parseSmallStatement(): PyStatement {
    const token = this.tok;
    const start = token.start;
    if (token.kind === 'NAME') {
      switch (token.value) {
        case 'pass':
          this.advance();
          return { type: 'Pass', parent: undefined, start, end: token.end };
        case 'break':
          this.advance();
          return { type: 'Break', parent: undefined, start, end: token.end };
        case 'continue':
          this.advance();
          return { type: 'Continue', parent: undefined, start, end: token.end };
        case 'return': {
          this.advance();
          const value = this.canStartExpression(this.tok) ? this.parseStarExpressions() : undefined;
          return { type: 'Return', parent: undefined, start, end: this.endFrom(start), value };
        }
        case 'raise': {
          this.advance();
          const exc = this.canStartExpression(this.tok) ? this.parseTest() : undefined;
          const cause = exc && this.eatName('from') ? this.parseTest() : undefined;
          return { type: 'Raise', parent: undefined, start, end: this.endFrom(start), exc, cause };
        }
        case 'global':
        case 'nonlocal': {
          this.advance();
          const names: string[] = [];
          do {
            if (this.at('NAME')) names.push(this.advance().value);
          } while (this.eatOp(','));
          return { parent: undefined, type: token.value === 'global' ? 'Global' : 'Nonlocal', start, end: this.endFrom(start), names };
        }
        case 'del': {
          this.advance();
          const targets = this.parseStarExpressions();
          const list = targets.type === 'Tuple' && !targets.parenthesized ? targets.elts : [targets];
          return { type: 'Delete', parent: undefined, start, end: this.endFrom(start), targets: list };
        }
        case 'assert': {
          this.advance();
          const test = this.parseTest();
          const msg = this.eatOp(',') ? this.parseTest() : undefined;
          return { type: 'Assert', parent: undefined, start, end: this.endFrom(start), test, msg };
        }
        case 'type': {
          // `type Alias = …` (Python 3.12); `type` stays an ordinary name everywhere else.
          const name = this.peek();
          const after = this.peek(2);
          if (name.kind !== 'NAME' || after.kind !== 'OP' || (after.value !== '=' && after.value !== '[')) break;
          this.advance();
          this.advance();
          const target: PyExpr = { type: 'Name', parent: undefined, start: name.start, end: name.end, id: name.value };
          this.skipTypeParams();
          const value = this.eatOp('=') ? this.parseTest() : this.errorExpr("expected '='", this.tok.start);
          return { type: 'Assign', parent: undefined, start, end: this.endFrom(start), kind: 'typeAlias', targets: [target], value };
        }
        case 'import':
          return this.parseImport();
        case 'from':
          return this.parseImportFrom();
      }
    }
    return this.parseExpressionStatement();
  }

  private parseExpressionStatement(): PyStatement {
    const start = this.tok.start;
    const first = this.parseValueOrYield();
    const token = this.tok;
    if (token.kind === 'OP') {
      if (token.value === '=') {
        const targets: PyExpr[] = [];
        let value = first;
        while (this.eatOp('=')) {
          targets.push(value);
          value = this.parseValueOrYield();
        }
        return { type: 'Assign', parent: undefined, start, end: this.endFrom(start), kind: 'plain', targets, value };
      }
      if (AUGMENTED_ASSIGNMENT.has(token.value)) {
        this.advance();
        const value = this.parseValueOrYield();
        return { type: 'Assign', parent: undefined, start, end: this.endFrom(start), kind: 'augmented', targets: [first], op: token.value, value };
      }
      if (token.value === ':') {
        this.advance();
        const annotation = this.parseTest();
        const value = this.eatOp('=') ? this.parseValueOrYield() : undefined;
        return { type: 'Assign', parent: undefined, start, end: this.endFrom(start), kind: 'annotated', targets: [first], annotation, value };
      }
    }
    if (first.type === 'ErrorExpr' && first.start === first.end) {
      return { type: 'ErrorStatement', parent: undefined, start, end: start, message: first.message, expressions: [] };
    }
    return { type: 'ExprStatement', parent: undefined, start, end: this.endFrom(start), value: first };
  }

  private parseDottedAlias(): PyAlias | undefined {
    const first = this.tok;
    if (first.kind !== 'NAME') return undefined;
    let name = this.advance().value;
    while (this.atOp('.') && this.peek().kind === 'NAME') {
      this.advance();
      name += `.${this.advance().value}`;
    }
    const alias: PyAlias = { type: 'Alias', parent: undefined, start: first.start, end: this.lastEnd, name };
    if (this.eatName('as')) {
      if (this.at('NAME')) alias.asname = this.advance().value;
      else this.error("expected a name after 'as'", this.tok.start);
      alias.end = this.lastEnd;
    }
    return alias;
  }

  private parseImport(): PyStatement {
    const start = this.advance().start;
    const names: PyAlias[] = [];
    do {
      const alias = this.parseDottedAlias();
      if (!alias) {
        this.error('expected a module name', this.tok.start);
        break;
      }
      names.push(alias);
    } while (this.eatOp(','));
    return { type: 'Import', parent: undefined, start, end: this.endFrom(start), names };
  }

  private parseImportFrom(): PyStatement {
    const start = this.advance().start;
    let level = 0;
    while (this.atOp('.') || this.atOp('...')) level += this.advance().value.length;
    let module: string | undefined;
    if (this.at('NAME') && this.tok.value !== 'import') {
      module = this.advance().value;
      while (this.atOp('.') && this.peek().kind === 'NAME') {
        this.advance();
        module += `.${this.advance().value}`;
      }
    }
    const names: PyAlias[] = [];
    if (!this.eatName('import')) {
      this.error("expected 'import'", this.tok.start);
      return { type: 'ImportFrom', parent: undefined, start, end: this.endFrom(start), module, names, level };
    }
    if (this.atOp('*')) {
      const star = this.advance();
      names.push({ type: 'Alias', parent: undefined, start: star.start, end: star.end, name: '*' });
    } else {
      const open = this.atOp('(') ? this.advance() : undefined;
      for (;;) {
        const alias = this.parseDottedAlias();
        if (!alias) break;
        names.push(alias);
        if (!this.eatOp(',')) break;
      }
      if (open) this.expectCloser(')', open.start);
      if (names.length === 0) this.error('expected a name to import', this.tok.start);
    }
    return { type: 'ImportFrom', parent: undefined, start, end: this.endFrom(start), module, names, level };
  }

  private parseDecorated(): PyStatement {
    const start = this.tok.start;
    const decorators: PyExpr[] = [];
    while (this.atOp('@')) {
      this.advance();
      decorators.push(this.parseNamedExpr());
      if (this.at('NEWLINE')) {
        this.advance();
      } else if (!this.atLineEnd()) {
        const junk = this.tok;
        this.skipToLineEnd();
        this.error(`unexpected '${junk.value}' after decorator`, junk.start, this.lastEnd);
        if (this.at('NEWLINE')) this.advance();
      }
    }
    const token = this.tok;
    if (token.kind === 'NAME') {
      if (token.value === 'def') return this.parseFunctionDef(token.start, false, decorators);
      if (token.value === 'class') return this.parseClassDef(decorators);
      const next = this.peek();
      if (token.value === 'async' && next.kind === 'NAME' && next.value === 'def') {
        this.advance();
        return this.parseFunctionDef(token.start, true, decorators);
      }
    }
    return this.errorStatement('decorator without a function or class', start, decorators);
  }

  /** The name after `def`/`class`; empty (with an error) while the user has not typed it yet. */
  private parseDefinitionName(what: string): { name: string; nameStart: number; nameEnd: number } {
    const token = this.tok;
    if (token.kind === 'NAME' && !NON_EXPRESSION_KEYWORDS.has(token.value)) {
      this.advance();
      return { name: token.value, nameStart: token.start, nameEnd: token.end };
    }
    this.error(`expected a ${what} name`, token.start);
    return { name: '', nameStart: token.start, nameEnd: token.start };
  }

  /** Type parameters (`def f[T](…)`, Python 3.12) are skipped: detectors do not need them. */
  private skipTypeParams(): void {
    if (!this.atOp('[')) return;
    const open = this.advance();
    this.skipBalanced(() => false);
    this.expectCloser(']', open.start);
  }

  private parseFunctionDef(start: number, isAsync: boolean, decorators: PyExpr[]): PyFunctionDef {
    this.advance(); // def
    const { name, nameStart, nameEnd } = this.parseDefinitionName('function');
    this.skipTypeParams();
    let params: PyFunctionDef['params'] = [];
    if (this.atOp('(')) {
      const open = this.advance();
      params = this.parseParams(false);
      this.expectCloser(')', open.start);
    } else {
      this.error("expected '('", this.tok.start);
    }
    const returns = this.eatOp('->') ? this.parseTest() : undefined;
    const body = this.parseSuite();
    const node: PyFunctionDef = { type: 'FunctionDef', parent: undefined, start, end: this.endFrom(start), name, nameStart, nameEnd, isAsync, decorators, params, body };
    if (returns) node.returns = returns;
    return node;
  }

  private parseClassDef(decorators: PyExpr[]): PyClassDef {
    const start = this.advance().start;
    const { name, nameStart, nameEnd } = this.parseDefinitionName('class');
    this.skipTypeParams();
    const { args: bases, keywords } = this.atOp('(') ? this.parseArguments() : { args: [], keywords: [] };
    const body = this.parseSuite();
    return { type: 'ClassDef', parent: undefined, start, end: this.endFrom(start), name, nameStart, nameEnd, decorators, bases, keywords, body };
  }

  /** `if`/`elif`/`else` chains are collected in a loop, so thousands of `elif`s cost no stack. */
  private parseIf(): PyIf {
    const clauses: { start: number; test: PyExpr; body: PyStatement[] }[] = [];
    do {
      const start = this.advance().start;
      const test = this.parseNamedExpr();
      clauses.push({ start, test, body: this.parseSuite() });
    } while (this.atName('elif'));
    let orelse: PyStatement[] = [];
    if (this.eatName('else')) orelse = this.parseSuite();
    const end = this.endFrom(clauses[0].start);
    let node: PyIf | undefined;
    for (let index = clauses.length - 1; index >= 0; index--) {
      const clause = clauses[index];
      node = { type: 'If', parent: undefined, start: clause.start, end, test: clause.test, body: clause.body, orelse, isElif: index > 0 };
      orelse = [node];
    }
    return node!;
  }

  private parseWhile(): PyStatement {
    const start = this.advance().start;
    const test = this.parseNamedExpr();
    const body = this.parseSuite();
    const orelse = this.eatName('else') ? this.parseSuite() : [];
    return { type: 'While', parent: undefined, start, end: this.endFrom(start), test, body, orelse };
  }

  private parseFor(start: number, isAsync: boolean): PyStatement {
    this.advance(); // for
    const target = this.parseTargetList();
    const iter = this.eatName('in') ? this.parseStarExpressions() : this.errorExpr("expected 'in'", this.tok.start);
    const body = this.parseSuite();
    const orelse = this.eatName('else') ? this.parseSuite() : [];
    return { type: 'For', parent: undefined, start, end: this.endFrom(start), isAsync, target, iter, body, orelse };
  }

  private parseTry(): PyStatement {
    const start = this.advance().start;
    const body = this.parseSuite();
    const handlers: PyExceptHandler[] = [];
    while (this.atName('except')) {
      const handlerStart = this.advance().start;
      const isStar = this.eatOp('*');
      let exceptionType: PyExpr | undefined;
      let name: string | undefined;
      if (!this.atOp(':') && !this.atLineEnd()) {
        exceptionType = this.parseTest();
        if (this.atOp(',')) {
          // `except A, B:` (Python 3.14) or Python 2's `except E, e:` — kept as a tuple either way.
          const elts = [exceptionType];
          while (this.eatOp(',') && !this.atOp(':') && !this.atLineEnd()) elts.push(this.parseTest());
          exceptionType = { type: 'Tuple', parent: undefined, start: exceptionType.start, end: this.endFrom(exceptionType.start), elts, parenthesized: false };
        }
        if (this.eatName('as')) {
          if (this.at('NAME')) name = this.advance().value;
          else this.error("expected a name after 'as'", this.tok.start);
        }
      }
      const handlerBody = this.parseSuite();
      handlers.push({ type: 'ExceptHandler', parent: undefined, start: handlerStart, end: this.endFrom(handlerStart), exceptionType, name, isStar, body: handlerBody });
    }
    const orelse = this.eatName('else') ? this.parseSuite() : [];
    const finalbody = this.eatName('finally') ? this.parseSuite() : [];
    if (handlers.length === 0 && finalbody.length === 0) this.error("expected 'except' or 'finally'", this.tok.start);
    return { type: 'Try', parent: undefined, start, end: this.endFrom(start), body, handlers, orelse, finalbody };
  }

  private parseWith(start: number, isAsync: boolean): PyStatement {
    this.advance(); // with
    const items: PyWithItem[] = [];
    if (this.atOp('(') && this.parenthesizedWithItems()) {
      const open = this.advance();
      this.parseCommaList(() => items.push(this.parseWithItem()));
      this.expectCloser(')', open.start);
    } else {
      do {
        items.push(this.parseWithItem());
      } while (this.eatOp(',') && !this.atOp(':') && !this.atLineEnd());
    }
    const body = this.parseSuite();
    return { type: 'With', parent: undefined, start, end: this.endFrom(start), isAsync, items, body };
  }

  /** `with (open(a) as f, open(b) as g):` — the parentheses group items when `:` follows them. */
  private parenthesizedWithItems(): boolean {
    let balance = 0;
    for (let index = this.pos; index < this.tokens.length; index++) {
      const token = this.tokens[index];
      if (token.kind === 'NEWLINE' || token.kind === 'ENDMARKER' || token.kind === 'INDENT' || token.kind === 'DEDENT') return false;
      if (token.kind !== 'OP') continue;
      if (token.value === '(' || token.value === '[' || token.value === '{') balance++;
      else if (token.value === ')' || token.value === ']' || token.value === '}') {
        if (--balance === 0) {
          const next = this.tokens[index + 1];
          return next !== undefined && next.kind === 'OP' && next.value === ':';
        }
      }
    }
    return false;
  }

  private parseWithItem(): PyWithItem {
    const contextExpr = this.parseTest();
    const item: PyWithItem = { type: 'WithItem', parent: undefined, start: contextExpr.start, end: contextExpr.end, contextExpr };
    if (this.eatName('as')) {
      item.optionalVars = this.parseTarget();
      item.end = this.endFrom(item.start);
    }
    return item;
  }

  /** `match` is a soft keyword: a statement only when its line ends in `:` and a block follows. */
  private looksLikeMatch(): boolean {
    if (!this.canStartExpression(this.peek())) return false;
    for (let index = this.pos + 1; index < this.tokens.length; index++) {
      const kind = this.tokens[index].kind;
      if (kind === 'NEWLINE' || kind === 'ENDMARKER' || kind === 'INDENT' || kind === 'DEDENT') {
        const last = this.tokens[index - 1];
        const next = this.tokens[index + 1];
        return last.kind === 'OP' && last.value === ':' && next !== undefined && next.kind === 'INDENT';
      }
    }
    return false;
  }

  private parseMatch(): PyMatch {
    const start = this.advance().start;
    const subject = this.parseStarExpressions();
    if (!this.eatOp(':')) this.recoverColon();
    const cases: PyMatchCase[] = [];
    if (this.at('NEWLINE')) this.advance();
    if (this.at('INDENT') && this.enter()) {
      this.advance();
      let strayIndents = 0;
      for (;;) {
        const token = this.tok;
        if (token.kind === 'ENDMARKER') break;
        if (token.kind === 'DEDENT') {
          this.advance();
          if (strayIndents-- === 0) break;
          continue;
        }
        if (token.kind === 'INDENT' || token.kind === 'NEWLINE') {
          if (token.kind === 'INDENT') strayIndents++;
          this.advance();
          continue;
        }
        if (token.kind === 'NAME' && token.value === 'case') {
          cases.push(this.parseCase());
          continue;
        }
        // A statement among the cases: keep it in the previous case so its code is still seen.
        const stray: PyStatement[] = [];
        const before = this.pos;
        this.parseStatement(stray);
        if (this.pos === before) this.advance();
        this.error("expected 'case'", token.start, this.lastEnd);
        if (cases.length > 0) cases[cases.length - 1].body.push(...stray);
        else cases.push({ type: 'MatchCase', parent: undefined, start: token.start, end: this.endFrom(token.start), pattern: this.errorExpr("expected 'case'", token.start), body: stray });
      }
      this.leave();
    }
    return { type: 'Match', parent: undefined, start, end: this.endFrom(start), subject, cases };
  }

  private parseCase(): PyMatchCase {
    const start = this.advance().start;
    const pattern = this.parsePattern();
    const node: PyMatchCase = { type: 'MatchCase', parent: undefined, start, end: start, pattern, body: [] };
    if (this.eatName('as')) {
      if (this.at('NAME')) node.asName = this.advance().value;
    }
    if (this.eatName('if')) node.guard = this.parseNamedExpr();
    node.body = this.parseSuite();
    node.end = this.endFrom(start);
    return node;
  }

  /** Patterns read as expressions, but below conditional expressions: `case x if guard:`. */
  private parsePattern(): PyExpr {
    const start = this.tok.start;
    const element = (): PyExpr => (this.atOp('*') ? this.parseTarget() : this.parseOrTest());
    const first = element();
    if (!this.atOp(',')) return first;
    const elts = [first];
    while (this.eatOp(',') && this.canStartExpression(this.tok)) elts.push(element());
    return { type: 'Tuple', parent: undefined, start, end: this.endFrom(start), elts, parenthesized: false };
  }

  /** An `else:`/`except:`… with no statement to belong to (mid-edit): reported, its block kept. */
  private parseDanglingClause(body: PyStatement[]): void {
    const token = this.advance();
    this.skipBalanced((next) => next.kind === 'OP' && next.value === ':');
    body.push(this.errorStatement(`'${token.value}' without a matching statement`, token.start));
    body.push(...this.parseSuite());
  }
}
