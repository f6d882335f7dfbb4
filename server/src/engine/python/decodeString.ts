const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

/**
 * The value of a string literal's body, as Python would see it: escapes resolved unless raw,
 * line breaks normalised to `\n` (Python reads source files with universal newlines).
 * `\N{…}` stays as written, since resolving character names needs the Unicode name table.
 */
export function decodeStringBody(text: string, start: number, end: number, raw: boolean, bytes: boolean): string {
  const source = text.slice(start, end);
  const body = source.includes('\r') ? source.replace(/\r\n?/g, '\n') : source;
  if (raw || !body.includes('\\')) return body;
  let out = '';
  let i = 0;
  while (i < body.length) {
    const backslash = body.indexOf('\\', i);
    if (backslash === -1 || backslash === body.length - 1) {
      out += body.slice(i);
      break;
    }
    out += body.slice(i, backslash);
    const letter = body[backslash + 1];
    i = backslash + 2;
    if (letter === '\n') continue;
    const simple = SIMPLE_ESCAPES[letter];
    if (simple !== undefined) {
      out += simple;
      continue;
    }
    if (letter >= '0' && letter <= '7') {
      let digits = letter;
      while (digits.length < 3 && body[i] >= '0' && body[i] <= '7') digits += body[i++];
      out += String.fromCharCode(parseInt(digits, 8));
      continue;
    }
    const hexLength = letter === 'x' ? 2 : bytes ? 0 : letter === 'u' ? 4 : letter === 'U' ? 8 : 0;
    const hex = hexLength > 0 ? body.slice(i, i + hexLength) : '';
    if (hexLength > 0 && hex.length === hexLength && /^[0-9a-fA-F]+$/.test(hex)) {
      const codePoint = parseInt(hex, 16);
      out += codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : `\\${letter}${hex}`;
      i += hexLength;
      continue;
    }
    // Unknown escapes keep their backslash, as in Python.
    out += `\\${letter}`;
  }
  return out;
}
