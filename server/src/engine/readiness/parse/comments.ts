/**
 * Blanks comments out of source text while keeping every offset and line where it was, so a
 * pattern never matches commented-out code and evidence lines stay right. Strings are kept
 * (a `#` or `//` inside a string is not a comment).
 */

export type CommentStyle = 'c' | 'hash' | 'sql';

/** The characters that can start a comment or a string, per style: the scan jumps from one to the next. */
const SPECIAL: Record<CommentStyle, RegExp> = { c: /[/"'`]/g, hash: /[#"']/g, sql: /[-/'"]/g };

export function blankComments(text: string, style: CommentStyle): string {
  const parts: string[] = [];
  const length = text.length;
  const quotes = style === 'c' ? '"\'`' : style === 'hash' ? '"\'' : "'\"";
  // Text before `copied` is already in `parts`.
  let copied = 0;
  const blank = (from: number, to: number) => {
    parts.push(text.slice(copied, from), text.slice(from, to).replace(/[^\r\n]/g, ' '));
    copied = to;
  };
  const special = SPECIAL[style];
  let i = 0;
  while (i < length) {
    // Ordinary text is skipped by a native search (a character loop took ~40 ms a CLI scan).
    special.lastIndex = i;
    const found = special.exec(text);
    if (!found) break;
    i = found.index;
    const char = text[i];
    const next = text[i + 1];
    if ((style === 'c' && char === '/' && next === '/') || (style === 'hash' && char === '#') || (style === 'sql' && char === '-' && next === '-')) {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? length : end;
      blank(i, stop);
      i = stop;
      continue;
    }
    if ((style === 'c' || style === 'sql') && char === '/' && next === '*') {
      let depth = 1;
      let k = i + 2;
      while (k < length && depth > 0) {
        if (style === 'sql' && text[k] === '/' && text[k + 1] === '*') {
          depth++;
          k += 2;
        } else if (text[k] === '*' && text[k + 1] === '/') {
          depth--;
          k += 2;
        } else k++;
      }
      blank(i, k);
      i = k;
      continue;
    }
    if (quotes.includes(char)) {
      // Strings are kept as they are: skip to their end.
      const triple = style === 'hash' && text.startsWith(char.repeat(3), i);
      const close = triple ? char.repeat(3) : char;
      let k = i + close.length;
      while (k < length) {
        if (text[k] === '\\' && style !== 'sql') {
          k += 2;
          continue;
        }
        if (text.startsWith(close, k)) {
          // SQL doubles a quote to escape it.
          if (style === 'sql' && text[k + 1] === char) {
            k += 2;
            continue;
          }
          k += close.length;
          break;
        }
        if (text[k] === '\n' && !triple && char !== '`' && style !== 'sql') break;
        k++;
      }
      i = Math.min(k, length);
      continue;
    }
    i++;
  }
  parts.push(text.slice(copied));
  return parts.join('');
}
