import type { Finding, Range } from '../types';
import type { LineIndex } from '../text/lineIndex';

/**
 * Inline suppressions, one syntax for every language and tool:
 *   shipshape-ignore <ruleId>: <reason>     (on the line, or alone on the line above)
 *   shipshape-public: <reason>              (marks an intentionally public route)
 * A rule id may end in `/*` to cover a whole category.
 */

export interface InlineDirective {
  kind: 'ignore' | 'public';
  /** Rule id or category wildcard, for `ignore`. */
  ruleId?: string;
  reason: string;
  line: number;
  /** The directive is alone on its line (a comment line), so it also covers the line below. */
  commentOnly: boolean;
  /** Where the directive text is, for diagnostics about the directive itself. */
  start: number;
  end: number;
  range: Range;
}

// Bounded repetitions keep this linear on any input (a long run of tabs after the keyword once took seconds).
export const DIRECTIVE = /(?<![A-Za-z0-9_-])shipshape-(ignore|public)\b(?:[ \t]{1,20}([a-z0-9-]{1,80}\/(?:[a-z0-9-]{1,80}|\*)))?(?:[ \t]{0,20}:([^\n]{0,500}))?/g;

export function parseDirectives(text: string, lines: LineIndex): InlineDirective[] {
  if (text.indexOf('shipshape-') === -1) return [];
  const directives: InlineDirective[] = [];
  DIRECTIVE.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = DIRECTIVE.exec(text)) !== null) {
    const kind = match[1] as 'ignore' | 'public';
    const line = lines.positionAt(match.index).line;
    directives.push({
      kind,
      ruleId: match[2],
      reason: (match[3] ?? '').replace(/\s*(\*\/\}?|-->)\s*$/, '').trim(),
      line,
      commentOnly: isCommentOnlyLine(text.slice(lines.lineStart(line), match.index)),
      start: match.index,
      end: match.index + match[0].length,
      range: lines.rangeOf(match.index, match.index + match[0].length),
    });
  }
  return directives;
}

/** The directive that covers a finding on `line`: on that line, or on a comment-only line just above. */
export function directiveFor(directives: readonly InlineDirective[], ruleId: string, line: number, kind: 'ignore' | 'public' = 'ignore'): InlineDirective | undefined {
  for (const directive of directives) {
    if (directive.kind !== kind) continue;
    if (kind === 'ignore' && !coversRule(directive.ruleId, ruleId)) continue;
    if (directive.line === line) return directive;
    if (directive.line === line - 1 && directive.commentOnly) return directive;
  }
  return undefined;
}

function coversRule(pattern: string | undefined, ruleId: string): boolean {
  if (!pattern) return false;
  if (pattern.endsWith('/*')) return ruleId.startsWith(pattern.slice(0, -1));
  return pattern === ruleId;
}

/** Text before the directive on its line is only indentation and a comment opener. */
function isCommentOnlyLine(before: string): boolean {
  return /^\s*(\/\/+|#+|--|;+|\/\*+|\*|<!--|\{\/\*)?\s*$/.test(before);
}

/** Marks findings covered by an inline directive as suppressed (they stay in the results, flagged). */
export function applyInlineSuppressions(findings: Finding[], directives: readonly InlineDirective[]): void {
  if (directives.length === 0) return;
  for (const finding of findings) {
    if (finding.suppression) continue;
    const directive = directiveFor(directives, finding.ruleId, finding.range.start.line);
    if (directive) finding.suppression = { kind: 'inline', reason: directive.reason || '(no reason given)', line: directive.line };
  }
}

/** A suppression must say why; one that does not is reported on the comment itself. */
export function directivesWithoutReason(directives: readonly InlineDirective[], filePath: string, docsUrl: string): Finding[] {
  return directives
    .filter((directive) => isMissingReason(directive.reason) || (directive.kind === 'ignore' && !directive.ruleId))
    .map((directive) => ({
      ruleId: 'config/suppression-without-reason',
      category: 'config' as const,
      severity: 'warning' as const,
      message: directive.kind === 'ignore' && !directive.ruleId
        ? 'This shipshape-ignore names no rule. Write it as "shipshape-ignore <ruleId>: <reason>", e.g. "shipshape-ignore secret/generic-secret: test fixture".'
        : `This shipshape-${directive.kind} gives no reason. Add one after the colon, so the next person knows why it is safe.`,
      file: filePath,
      range: directive.range,
      startOffset: directive.start,
      endOffset: directive.end,
      docsUrl,
    }));
}

/** An empty reason, or the placeholder a quick fix inserted (`<why …>`), is no reason. */
export function isMissingReason(reason: string): boolean {
  return reason === '' || /^<[^>]*>$/.test(reason);
}
