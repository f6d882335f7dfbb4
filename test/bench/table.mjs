// Plain-text tables: first row is the header; columns after the first are right-aligned.

export function table(rows) {
  const text = rows.map((row) => row.map((cell) => String(cell ?? '')));
  const widths = text[0].map((_, column) => Math.max(...text.map((row) => (row[column] ?? '').length)));
  const line = (row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ').trimEnd();
  return [line(text[0]), widths.map((width) => '-'.repeat(width)).join('  '), ...text.slice(1).map(line)].join('\n');
}

export function heading(title) {
  return `\n== ${title} ${'='.repeat(Math.max(3, 76 - title.length))}`;
}
