/**
 * A small, lenient YAML reader for GitHub workflows, pnpm-lock.yaml and similar
 * configuration: block mappings and sequences by indentation, plain and quoted scalars,
 * block scalars (`|`, `>`), one-line flow collections, comments. Every node keeps its
 * zero-based line so checks can point at it. Anchors, tags and multi-document streams are
 * read leniently (the first document; aliases stay text). It never throws.
 */

export type YamlNode = YamlMap | YamlSeq | YamlScalar;

export interface YamlMap {
  kind: 'map';
  line: number;
  entries: Map<string, { keyLine: number; value: YamlNode }>;
}

export interface YamlSeq {
  kind: 'seq';
  line: number;
  items: YamlNode[];
}

export interface YamlScalar {
  kind: 'scalar';
  line: number;
  value: string;
  /** Quoted in the source ('on' in quotes is a string, on its own a key). */
  quoted?: boolean;
}

interface Line {
  indent: number;
  /** Text after the indentation, comment removed, trailing spaces trimmed. */
  text: string;
  line: number;
}

export function parseYaml(text: string): YamlNode | undefined {
  const rawLines = text.split(/\r?\n/);
  const reader = new YamlReader(rawLines);
  try {
    return reader.parseDocument();
  } catch {
    return undefined;
  }
}

class YamlReader {
  private readonly lines: Line[] = [];
  private index = 0;

  constructor(private readonly raw: string[]) {
    for (let number = 0; number < raw.length; number++) {
      const rawLine = raw[number];
      if (number > 0 && /^(---|\.\.\.)\s*$/.test(rawLine)) {
        // Only the first document.
        if (this.lines.length > 0) break;
        continue;
      }
      if (/^---\s*$/.test(rawLine)) continue;
      const content = stripComment(rawLine);
      if (content.trim() === '') continue;
      const indent = content.length - content.trimStart().length;
      this.lines.push({ indent, text: content.trim(), line: number });
    }
  }

  parseDocument(): YamlNode | undefined {
    if (this.lines.length === 0) return undefined;
    return this.parseBlock(this.lines[0].indent);
  }

  private peek(): Line | undefined {
    return this.lines[this.index];
  }

  private parseBlock(indent: number): YamlNode {
    const first = this.peek()!;
    if (isSequenceItem(first.text)) return this.parseSequence(indent);
    if (findMappingColon(first.text) >= 0) return this.parseMapping(indent);
    this.index++;
    return parseScalarOrFlow(first.text, first.line);
  }

  private parseSequence(indent: number): YamlSeq {
    const sequence: YamlSeq = { kind: 'seq', line: this.peek()!.line, items: [] };
    for (let line = this.peek(); line && line.indent === indent && isSequenceItem(line.text); line = this.peek()) {
      const rest = line.text === '-' ? '' : line.text.slice(2).trimStart();
      const contentIndent = indent + (line.text.length - rest.length);
      if (rest === '') {
        this.index++;
        const next = this.peek();
        sequence.items.push(next && next.indent > indent ? this.parseBlock(next.indent) : { kind: 'scalar', line: line.line, value: '' });
      } else if (isSequenceItem(rest) || findMappingColon(rest) >= 0) {
        // "- key: value" starts a mapping (or nested sequence) whose column is after the dash.
        this.lines[this.index] = { indent: contentIndent, text: rest, line: line.line };
        sequence.items.push(this.parseBlock(contentIndent));
      } else {
        this.index++;
        sequence.items.push(this.scalarValue(rest, line.line, indent));
      }
    }
    return sequence;
  }

  private parseMapping(indent: number): YamlMap {
    const map: YamlMap = { kind: 'map', line: this.peek()!.line, entries: new Map() };
    for (let line = this.peek(); line && line.indent === indent && !isSequenceItem(line.text); line = this.peek()) {
      const colon = findMappingColon(line.text);
      if (colon < 0) {
        this.index++;
        continue;
      }
      const key = unquote(line.text.slice(0, colon).trim());
      const rest = line.text.slice(colon + 1).trim();
      this.index++;
      let value: YamlNode;
      if (rest === '' || /^[&!][^\s]*$/.test(rest)) {
        const next = this.peek();
        if (next && next.indent > indent) value = this.parseBlock(next.indent);
        else if (next && next.indent === indent && isSequenceItem(next.text)) value = this.parseSequence(indent);
        else value = { kind: 'scalar', line: line.line, value: '' };
      } else {
        value = this.scalarValue(rest, line.line, indent);
      }
      map.entries.set(key, { keyLine: line.line, value });
    }
    return map;
  }

  /** A value on the same line: a block scalar header, a flow collection or a scalar. */
  private scalarValue(rest: string, line: number, parentIndent: number): YamlNode {
    const cleaned = rest.replace(/^(?:&\S+|!\S*)\s+/, '');
    if (/^[|>][-+0-9]*$/.test(cleaned)) return { kind: 'scalar', line, value: this.blockScalar(line, parentIndent, cleaned[0] === '>') };
    if ((cleaned.startsWith('[') || cleaned.startsWith('{')) && !balanced(cleaned)) {
      // A flow collection spread over several lines: gather until the brackets balance.
      let joined = cleaned;
      while (this.peek() && !balanced(joined)) joined += ` ${this.lines[this.index++].text}`;
      return parseScalarOrFlow(joined, line);
    }
    if ((cleaned.startsWith('"') && !closedQuote(cleaned, '"')) || (cleaned.startsWith("'") && !closedQuote(cleaned, "'"))) {
      let joined = cleaned;
      const quote = cleaned[0];
      while (this.peek() && !closedQuote(joined, quote)) joined += ` ${this.lines[this.index++].text}`;
      return parseScalarOrFlow(joined, line);
    }
    // Plain scalars may continue on more-indented lines.
    let value = cleaned;
    while (this.peek() && this.peek()!.indent > parentIndent && findMappingColon(this.peek()!.text) < 0 && !isSequenceItem(this.peek()!.text) && !/^["'[{]/.test(cleaned)) {
      value += ` ${this.lines[this.index++].text}`;
    }
    return parseScalarOrFlow(value, line);
  }

  /** The raw lines of a block scalar (comments are content here). */
  private blockScalar(headerLine: number, parentIndent: number, folded: boolean): string {
    const collected: string[] = [];
    let number = headerLine + 1;
    let blockIndent = -1;
    for (; number < this.raw.length; number++) {
      const raw = this.raw[number];
      if (raw.trim() === '') {
        collected.push('');
        continue;
      }
      const indent = raw.length - raw.trimStart().length;
      if (indent <= parentIndent) break;
      if (blockIndent < 0) blockIndent = indent;
      if (indent < blockIndent) break;
      collected.push(raw.slice(blockIndent));
    }
    while (this.peek() && this.peek()!.line < number) this.index++;
    while (collected.length && collected[collected.length - 1] === '') collected.pop();
    return folded ? collected.join(' ') : collected.join('\n');
  }
}

function isSequenceItem(text: string): boolean {
  return text === '-' || text.startsWith('- ');
}

/** Index of the colon that separates a mapping key from its value, or -1. */
function findMappingColon(text: string): number {
  if (text.startsWith('[') || text.startsWith('{')) return -1;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quote) {
      if (char === quote) quote = '';
      continue;
    }
    if ((char === '"' || char === "'") && i === 0) {
      quote = char;
      continue;
    }
    if (char === ':' && (i + 1 === text.length || text[i + 1] === ' ' || text[i + 1] === '\t')) return i;
  }
  return -1;
}

function stripComment(line: string): string {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quote) {
      if (char === quote) quote = '';
      continue;
    }
    if (char === '"' || char === "'") {
      const before = line.slice(0, i).trimEnd();
      if (before === '' || /[:\-[{,]$/.test(before)) quote = char;
      continue;
    }
    if (char === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) return line.slice(0, i).trimEnd();
  }
  return line.trimEnd();
}

function balanced(text: string): boolean {
  let depth = 0;
  let quote = '';
  for (const char of text) {
    if (quote) {
      if (char === quote) quote = '';
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '[' || char === '{') depth++;
    else if (char === ']' || char === '}') depth--;
  }
  return depth <= 0;
}

function closedQuote(text: string, quote: string): boolean {
  for (let i = 1; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') {
      i++;
      continue;
    }
    if (text[i] === quote) {
      if (quote === "'" && text[i + 1] === "'") {
        i++;
        continue;
      }
      return true;
    }
  }
  return false;
}

function unquote(text: string): string {
  if (text.length >= 2 && ((text.startsWith('"') && text.endsWith('"')) || (text.startsWith("'") && text.endsWith("'")))) {
    const inner = text.slice(1, -1);
    return text[0] === "'" ? inner.replace(/''/g, "'") : inner.replace(/\\(["\\/])/g, '$1').replace(/\\n/g, '\n').replace(/\\t/g, '\t');
  }
  return text;
}

function parseScalarOrFlow(text: string, line: number): YamlNode {
  const trimmed = text.trim();
  if (trimmed.startsWith('[') && trimmed.endsWith(']')) {
    return { kind: 'seq', line, items: splitFlow(trimmed.slice(1, -1)).map((item) => parseScalarOrFlow(item, line)) };
  }
  if (trimmed.startsWith('{') && trimmed.endsWith('}')) {
    const map: YamlMap = { kind: 'map', line, entries: new Map() };
    for (const item of splitFlow(trimmed.slice(1, -1))) {
      const colon = findFlowColon(item);
      if (colon < 0) map.entries.set(unquote(item.trim()), { keyLine: line, value: { kind: 'scalar', line, value: '' } });
      else map.entries.set(unquote(item.slice(0, colon).trim()), { keyLine: line, value: parseScalarOrFlow(item.slice(colon + 1), line) });
    }
    return map;
  }
  const quoted = /^(["']).*\1$/.test(trimmed);
  return { kind: 'scalar', line, value: unquote(trimmed), ...(quoted ? { quoted: true } : {}) };
}

/** The offsets of a flow collection's top-level characters: outside quotes and nested brackets. */
function* topLevelOffsets(text: string): Generator<number> {
  let quote = '';
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quote) {
      if (char === quote) quote = '';
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '[' || char === '{') depth++;
    else if (char === ']' || char === '}') depth--;
    else if (depth === 0) yield i;
  }
}

function findFlowColon(text: string): number {
  for (const i of topLevelOffsets(text)) if (text[i] === ':' && (i + 1 === text.length || text[i + 1] === ' ')) return i;
  return -1;
}

function splitFlow(text: string): string[] {
  const items: string[] = [];
  let start = 0;
  for (const i of topLevelOffsets(text)) {
    if (text[i] !== ',') continue;
    items.push(text.slice(start, i));
    start = i + 1;
  }
  items.push(text.slice(start));
  return items.map((item) => item.trim()).filter((item) => item !== '');
}

/** The value at a key path (numbers index sequences), or undefined. */
export function yamlGet(node: YamlNode | undefined, ...path: (string | number)[]): YamlNode | undefined {
  let current = node;
  for (const key of path) {
    if (!current) return undefined;
    if (typeof key === 'number') current = current.kind === 'seq' ? current.items[key] : undefined;
    else current = current.kind === 'map' ? current.entries.get(key)?.value : undefined;
  }
  return current;
}

export function yamlText(node: YamlNode | undefined): string | undefined {
  return node?.kind === 'scalar' ? node.value : undefined;
}

/** Every scalar below a node, with its line (for free-text searches such as run steps). */
export function yamlScalars(node: YamlNode | undefined, out: YamlScalar[] = []): YamlScalar[] {
  if (!node) return out;
  if (node.kind === 'scalar') out.push(node);
  else if (node.kind === 'seq') node.items.forEach((item) => yamlScalars(item, out));
  else for (const entry of node.entries.values()) yamlScalars(entry.value, out);
  return out;
}
