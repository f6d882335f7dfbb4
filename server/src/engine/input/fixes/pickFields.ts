import ts = require('typescript');
import { dottedPath, isIdentifierText } from '../../js/flowSyntax';
import type { FixHint, TextEdit } from '../../types';
import type { SinkHit } from '../taint';

/**
 * Mass assignment: replace the whole request object at the write with the fields the
 * handler itself reads (`{ name: req.body.name, email: req.body.email }`). Offered only when
 * those fields are known and the object at the sink is a plain variable or property path.
 */
export function pickFieldsFix(hit: SinkHit, fields: readonly string[], sourceFile: ts.SourceFile, text: string): FixHint | undefined {
  if (fields.length === 0 || hit.taint.via) return undefined;
  const expressions = hit.wholeExpressions ?? [];
  if (expressions.length === 0) return undefined;
  const edits: TextEdit[] = [];
  for (const expression of expressions) {
    if (!dottedPath(expression)) return undefined;
    const base = text.slice(expression.getStart(sourceFile), expression.end);
    const entries = fields.map((field) => (isIdentifierText(field) ? `${field}: ${base}.${field}` : `${quoted(field)}: ${base}[${quoted(field)}]`));
    const parent = expression.parent;
    if (ts.isSpreadAssignment(parent)) {
      edits.push({ start: parent.getStart(sourceFile), end: parent.end, newText: entries.join(', ') });
    } else if (ts.isShorthandPropertyAssignment(parent) && parent.name === expression) {
      edits.push({ start: parent.getStart(sourceFile), end: parent.end, newText: `${base}: { ${entries.join(', ')} }` });
    } else {
      edits.push({ start: expression.getStart(sourceFile), end: expression.end, newText: `{ ${entries.join(', ')} }` });
    }
  }
  const shown = fields.length > 4 ? `${fields.slice(0, 4).join(', ')}, …` : fields.join(', ');
  return { kind: 'edit', title: `Save only the expected fields (${shown})`, edits, preferred: true };
}

function quoted(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
