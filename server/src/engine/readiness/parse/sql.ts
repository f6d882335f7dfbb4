/**
 * Splits PostgreSQL migration files into statements and tokens: enough to follow tables,
 * row level security and policies. Comments (`--`, nested `/* *\/`), string literals
 * (`'…''…'`, `E'…'`), quoted identifiers (`"My Table"`) and dollar-quoted bodies
 * (`$$…$$`, `$fn$…$fn$`) are honoured, so a `;` or keyword inside them never counts.
 */

export interface SqlToken {
  kind: 'word' | 'identifier' | 'string' | 'symbol' | 'body';
  /** Words lower-cased; quoted identifiers keep their case; strings without quotes. */
  value: string;
  offset: number;
}

export interface SqlStatement {
  tokens: SqlToken[];
  /** Offset of the statement's first token in the file. */
  offset: number;
}

export function sqlStatements(text: string): SqlStatement[] {
  const statements: SqlStatement[] = [];
  let tokens: SqlToken[] = [];
  const flush = () => {
    if (tokens.length) statements.push({ tokens, offset: tokens[0].offset });
    tokens = [];
  };
  let i = 0;
  const length = text.length;
  while (i < length) {
    const char = text[i];
    const next = text[i + 1];
    if (char === '-' && next === '-') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? length : end;
      continue;
    }
    if (char === '/' && next === '*') {
      let depth = 1;
      i += 2;
      while (i < length && depth > 0) {
        if (text[i] === '/' && text[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (text[i] === '*' && text[i + 1] === '/') {
          depth--;
          i += 2;
        } else i++;
      }
      continue;
    }
    if (/\s/.test(char)) {
      i++;
      continue;
    }
    if (char === ';') {
      flush();
      i++;
      continue;
    }
    if (char === "'" || ((char === 'E' || char === 'e') && next === "'")) {
      const start = i;
      i += char === "'" ? 1 : 2;
      let value = '';
      while (i < length) {
        if (text[i] === "'" && text[i + 1] === "'") {
          value += "'";
          i += 2;
        } else if (text[i] === "'") {
          i++;
          break;
        } else if (text[i] === '\\' && char !== "'") {
          value += text[i + 1] ?? '';
          i += 2;
        } else value += text[i++];
      }
      tokens.push({ kind: 'string', value, offset: start });
      continue;
    }
    if (char === '"') {
      const start = i;
      i++;
      let value = '';
      while (i < length) {
        if (text[i] === '"' && text[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (text[i] === '"') {
          i++;
          break;
        } else value += text[i++];
      }
      tokens.push({ kind: 'identifier', value, offset: start });
      continue;
    }
    if (char === '$') {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i, i + 64));
      if (tag) {
        const close = text.indexOf(tag[0], i + tag[0].length);
        const end = close < 0 ? length : close + tag[0].length;
        tokens.push({ kind: 'body', value: text.slice(i + tag[0].length, close < 0 ? length : close), offset: i });
        i = end;
        continue;
      }
    }
    if (/[A-Za-z_]/.test(char)) {
      const start = i;
      while (i < length && /[A-Za-z0-9_$]/.test(text[i])) i++;
      tokens.push({ kind: 'word', value: text.slice(start, i).toLowerCase(), offset: start });
      continue;
    }
    if (/[0-9]/.test(char)) {
      const start = i;
      while (i < length && /[0-9.]/.test(text[i])) i++;
      tokens.push({ kind: 'word', value: text.slice(start, i), offset: start });
      continue;
    }
    tokens.push({ kind: 'symbol', value: char, offset: i });
    i++;
  }
  flush();
  return statements;
}

/** Whether the tokens from `index` spell these words (lower case) in order. */
export function wordsAt(tokens: readonly SqlToken[], index: number, ...words: string[]): boolean {
  return words.every((word, k) => tokens[index + k]?.kind === 'word' && tokens[index + k].value === word);
}

/**
 * Reads a possibly schema-qualified name at `index` (`public.todos`, `"Todos"`).
 * Returns the schema (undefined when not given), the name and the index after it.
 */
export function qualifiedName(tokens: readonly SqlToken[], index: number): { schema?: string; name: string; next: number } | undefined {
  const first = tokens[index];
  if (!first || (first.kind !== 'word' && first.kind !== 'identifier')) return undefined;
  if (tokens[index + 1]?.value === '.' && tokens[index + 1].kind === 'symbol') {
    const second = tokens[index + 2];
    if (second && (second.kind === 'word' || second.kind === 'identifier')) return { schema: first.value, name: second.value, next: index + 3 };
  }
  return { name: first.value, next: index + 1 };
}

/** The tokens inside the parenthesis that opens at `index`, and the index after it. */
export function parenthesised(tokens: readonly SqlToken[], index: number): { inner: SqlToken[]; next: number } | undefined {
  if (tokens[index]?.value !== '(' || tokens[index].kind !== 'symbol') return undefined;
  let depth = 0;
  for (let k = index; k < tokens.length; k++) {
    if (tokens[k].kind !== 'symbol') continue;
    if (tokens[k].value === '(') depth++;
    else if (tokens[k].value === ')' && --depth === 0) return { inner: tokens.slice(index + 1, k), next: k + 1 };
  }
  return { inner: tokens.slice(index + 1), next: tokens.length };
}
