/**
 * Where `import os` goes in a Python file that lacks it: before the first top-level import,
 * or after the module's shebang, encoding line, comments and docstring.
 * Returns undefined when the module already imports os.
 */
export function pythonImportOsInsertion(text: string): { offset: number; text: string } | undefined {
  if (/^[ \t]*import[ \t]+(?:[\w.]+[ \t]*,[ \t]*)*os\b(?![.\w])/m.test(text)) return undefined;
  const lines = text.split('\n');
  let offset = 0;
  let insertAt = 0;
  let inDocstring: string | undefined;
  let sawDocstring = false;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    const trimmed = line.trim();
    const lineEnd = offset + line.length + 1;
    if (inDocstring) {
      if (trimmed.includes(inDocstring)) {
        inDocstring = undefined;
        insertAt = Math.min(lineEnd, text.length);
      }
    } else if (/^(import|from)\s/.test(line) && !/^from\s+__future__\s/.test(line)) {
      return { offset, text: 'import os\n' };
    } else if (trimmed === '' || trimmed.startsWith('#') || /^from\s+__future__\s/.test(line)) {
      if (trimmed !== '') insertAt = Math.min(lineEnd, text.length);
    } else if (!sawDocstring && /^[rRuU]?("""|''')/.test(trimmed)) {
      sawDocstring = true;
      const quote = trimmed.match(/("""|''')/)![1];
      if (trimmed.length > 3 && trimmed.indexOf(quote, trimmed.indexOf(quote) + 3) !== -1) insertAt = Math.min(lineEnd, text.length);
      else inDocstring = quote;
    } else {
      break;
    }
    offset = lineEnd;
  }
  const prefix = insertAt > 0 && text[insertAt - 1] !== '\n' ? '\n' : '';
  return { offset: insertAt, text: `${prefix}import os\n` };
}
