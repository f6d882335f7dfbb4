/**
 * A small, lenient TOML reader for the files readiness looks at (pyproject.toml, poetry.lock,
 * uv.lock, fly.toml, netlify.toml): tables, arrays of tables, dotted and quoted keys, strings
 * (basic, literal, multi-line), numbers, booleans, dates (kept as text), arrays and inline
 * tables. It never throws: on text it does not understand it skips to the next line.
 */

export type TomlValue = string | number | boolean | TomlValue[] | TomlTable;
export interface TomlTable {
  [key: string]: TomlValue;
}

export interface TomlDocument {
  value: TomlTable;
  /** Zero-based line of each key, by dotted path ("tool.poetry.dependencies.flask"). */
  lines: Map<string, number>;
}

export function parseToml(text: string): TomlDocument {
  return new TomlParser(text).parse();
}

class TomlParser {
  private position = 0;
  private line = 0;
  private readonly root: TomlTable = {};
  private readonly lines = new Map<string, number>();

  constructor(private readonly text: string) {}

  parse(): TomlDocument {
    let current = this.root;
    let currentPath: string[] = [];
    while (this.position < this.text.length) {
      this.skipWhitespaceAndComments(true);
      if (this.position >= this.text.length) break;
      const char = this.text[this.position];
      try {
        if (char === '[') {
          const isArray = this.text[this.position + 1] === '[';
          this.position += isArray ? 2 : 1;
          const path = this.readKeyPath(']');
          this.position += isArray ? 2 : 1;
          currentPath = path;
          this.lines.set(path.join('.'), this.line);
          current = isArray ? this.appendTable(path) : this.tableAt(this.root, path);
        } else {
          const keyLine = this.line;
          const path = this.readKeyPath('=');
          if (this.text[this.position] !== '=') throw new Error('expected =');
          this.position++;
          this.skipInlineWhitespace();
          const value = this.readValue();
          const parent = this.tableAt(current, path.slice(0, -1));
          parent[path[path.length - 1]] = value;
          this.lines.set([...currentPath, ...path].join('.'), keyLine);
        }
      } catch {
        this.skipLine();
        continue;
      }
      this.skipInlineWhitespace();
      if (this.text[this.position] === '#') this.skipLine();
    }
    return { value: this.root, lines: this.lines };
  }

  private appendTable(path: string[]): TomlTable {
    const parent = this.tableAt(this.root, path.slice(0, -1));
    const key = path[path.length - 1];
    const existing = parent[key];
    const table: TomlTable = {};
    if (Array.isArray(existing)) existing.push(table);
    else parent[key] = [table];
    return table;
  }

  private tableAt(base: TomlTable, path: string[]): TomlTable {
    let table = base;
    for (const key of path) {
      let next = table[key];
      if (Array.isArray(next)) next = next[next.length - 1];
      if (!next || typeof next !== 'object' || Array.isArray(next)) {
        next = {};
        table[key] = next;
      }
      table = next as TomlTable;
    }
    return table;
  }

  private readKeyPath(terminator: string): string[] {
    const parts: string[] = [];
    for (;;) {
      this.skipInlineWhitespace();
      const char = this.text[this.position];
      if (char === '"' || char === "'") parts.push(this.readString());
      else {
        const start = this.position;
        while (this.position < this.text.length && /[A-Za-z0-9_-]/.test(this.text[this.position])) this.position++;
        if (this.position === start) throw new Error('expected a key');
        parts.push(this.text.slice(start, this.position));
      }
      this.skipInlineWhitespace();
      if (this.text[this.position] === '.') {
        this.position++;
        continue;
      }
      if (this.text[this.position] !== terminator) throw new Error(`expected ${terminator}`);
      return parts;
    }
  }

  private readValue(): TomlValue {
    const char = this.text[this.position];
    if (char === '"' || char === "'") return this.readString();
    if (char === '[') return this.readArray();
    if (char === '{') return this.readInlineTable();
    const start = this.position;
    while (this.position < this.text.length && !/[,\]}\r\n#]/.test(this.text[this.position])) this.position++;
    const raw = this.text.slice(start, this.position).trim();
    if (raw === 'true') return true;
    if (raw === 'false') return false;
    const number = Number(raw.replace(/_/g, ''));
    if (raw !== '' && !Number.isNaN(number) && /^[+-]?[\d._]+(e[+-]?\d+)?$/i.test(raw)) return number;
    if (raw === '') throw new Error('expected a value');
    return raw;
  }

  private readArray(): TomlValue[] {
    this.position++;
    const items: TomlValue[] = [];
    for (;;) {
      this.skipWhitespaceAndComments(true);
      if (this.position >= this.text.length) throw new Error('unterminated array');
      if (this.text[this.position] === ']') {
        this.position++;
        return items;
      }
      items.push(this.readValue());
      this.skipWhitespaceAndComments(true);
      if (this.text[this.position] === ',') this.position++;
    }
  }

  private readInlineTable(): TomlTable {
    this.position++;
    const table: TomlTable = {};
    for (;;) {
      this.skipWhitespaceAndComments(true);
      if (this.position >= this.text.length) throw new Error('unterminated table');
      if (this.text[this.position] === '}') {
        this.position++;
        return table;
      }
      const path = this.readKeyPath('=');
      this.position++;
      this.skipInlineWhitespace();
      const value = this.readValue();
      this.tableAt(table, path.slice(0, -1))[path[path.length - 1]] = value;
      this.skipWhitespaceAndComments(true);
      if (this.text[this.position] === ',') this.position++;
    }
  }

  private readString(): string {
    const quote = this.text[this.position];
    const multi = this.text.startsWith(quote.repeat(3), this.position);
    this.position += multi ? 3 : 1;
    if (multi && this.text[this.position] === '\n') {
      this.position++;
      this.line++;
    }
    let value = '';
    while (this.position < this.text.length) {
      const char = this.text[this.position];
      if (multi ? this.text.startsWith(quote.repeat(3), this.position) : char === quote) {
        this.position += multi ? 3 : 1;
        return value;
      }
      if (char === '\n') {
        if (!multi) throw new Error('unterminated string');
        this.line++;
      }
      if (char === '\\' && quote === '"') {
        const next = this.text[this.position + 1];
        const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', b: '\b', f: '\f' };
        if (next in simple) {
          value += simple[next];
          this.position += 2;
          continue;
        }
        if (next === 'u' || next === 'U') {
          const length = next === 'u' ? 4 : 8;
          value += String.fromCodePoint(parseInt(this.text.slice(this.position + 2, this.position + 2 + length), 16) || 0xfffd);
          this.position += 2 + length;
          continue;
        }
        if (multi && (next === '\n' || next === '\r' || next === ' ')) {
          // A line-ending backslash trims the following whitespace.
          this.position++;
          while (this.position < this.text.length && /\s/.test(this.text[this.position])) {
            if (this.text[this.position] === '\n') this.line++;
            this.position++;
          }
          continue;
        }
      }
      value += char;
      this.position++;
    }
    throw new Error('unterminated string');
  }

  private skipInlineWhitespace(): void {
    while (this.position < this.text.length && (this.text[this.position] === ' ' || this.text[this.position] === '\t')) this.position++;
  }

  private skipWhitespaceAndComments(newlines: boolean): void {
    while (this.position < this.text.length) {
      const char = this.text[this.position];
      if (char === ' ' || char === '\t' || char === '\r') this.position++;
      else if (char === '\n' && newlines) {
        this.position++;
        this.line++;
      } else if (char === '#') {
        while (this.position < this.text.length && this.text[this.position] !== '\n') this.position++;
      } else break;
    }
  }

  private skipLine(): void {
    while (this.position < this.text.length && this.text[this.position] !== '\n') this.position++;
  }
}

export function tomlTable(value: TomlValue | undefined): TomlTable | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

export function tomlString(value: TomlValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function tomlArray(value: TomlValue | undefined): TomlValue[] {
  return Array.isArray(value) ? value : [];
}
