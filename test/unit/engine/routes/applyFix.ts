import type { Finding, TextEdit } from '../../../../server/src/engine/types';

/** Applies a finding's `edit` fix with the given title prefix to the text, as the editor would. */
export function applyFix(text: string, finding: Finding, titlePrefix: string): string {
  const fix = finding.fixes?.find((hint) => hint.kind === 'edit' && hint.title.startsWith(titlePrefix));
  if (!fix || fix.kind !== 'edit') throw new Error(`no "${titlePrefix}" fix; fixes: ${(finding.fixes ?? []).map((hint) => (hint.kind === 'edit' ? hint.title : hint.kind)).join(', ')}`);
  return applyEdits(text, fix.edits);
}

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let result = text;
  for (const edit of sorted) result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return result;
}
