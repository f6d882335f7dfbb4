import type { Finding, FixHint, RelatedLocation } from '../types';
import { LineIndex } from '../text/lineIndex';
import { directiveFor, parseDirectives } from '../suppression/inlineSuppressions';

/**
 * The other end of a flow across files. A handler's finding sits at the call that hands request
 * input to another file (`remoteSink` names the query there); an editor showing that file shows
 * the problem at the query too, worded from there ("… in routes/users.js:9, passed to getUser(),
 * goes straight into this SQL query"), with the handlers as related information and the query's
 * own fix. One finding per rule and sink, however many handlers reach it.
 *
 * The handlers' findings are only as fresh as their analyses, which may have seen an older text
 * of this file (a handler that is not open is analysed again when the file is saved, not at every
 * keystroke): a sink is found again by its code, where it was or moved by edits around it, and
 * left out while its code differs; a fix is offered only where its edits' text is still there.
 */
export function incomingFindings(file: string, text: string, reaching: readonly Finding[], own: readonly Finding[] = []): Finding[] {
  const groups = new Map<string, Finding[]>();
  for (const finding of reaching) {
    const sink = finding.remoteSink;
    if (!sink || sink.file !== file || finding.suppression || finding.file === file) continue;
    const key = `${finding.ruleId}\0${sink.sinkStart}\0${sink.sinkText}`;
    const group = groups.get(key);
    if (group) group.push(finding);
    else groups.set(key, [finding]);
  }
  if (groups.size === 0) return [];
  const lines = new LineIndex(text);
  const directives = parseDirectives(text, lines);
  const incoming: Finding[] = [];
  for (const group of groups.values()) {
    const [first] = group;
    const sink = first.remoteSink!;
    const start = locate(text, sink.sinkText, sink.sinkStart);
    if (start === undefined) continue;
    const end = start + sink.sinkText.length;
    const range = lines.rangeOf(start, end);
    // The file's own analysis may report the same sink (input it reads itself), and a suppression
    // written at the sink holds at once, before the handlers are analysed again.
    if (own.some((finding) => finding.ruleId === first.ruleId && finding.startOffset < end && start < finding.endOffset)) continue;
    if (directiveFor(directives, first.ruleId, range.start.line)) continue;
    const callers = distinctCallers(group);
    const others = callers.length - 1;
    const delta = start - sink.sinkStart;
    const fixes = (first.fixes ?? []).flatMap((fix) => fixHere(fix, file, delta));
    incoming.push({
      ruleId: first.ruleId,
      category: first.category,
      severity: first.severity,
      message: others > 0 ? `${sink.message} ${others === 1 ? 'One more place passes' : `${others} more places pass`} request input to it too (see the related information).` : sink.message,
      file,
      range,
      startOffset: start,
      endOffset: end,
      ...(first.docsUrl ? { docsUrl: first.docsUrl } : {}),
      related: callers.map(callerLocation),
      ...(fixes.length ? { fixes } : {}),
      properties: { ...first.properties, incomingFrom: first.file },
    });
  }
  return incoming;
}

/** The sink's code at its old offset, else its occurrence nearest to it; undefined when the code is gone. */
function locate(text: string, sinkText: string, expected: number): number | undefined {
  if (sinkText.length === 0) return undefined;
  if (text.startsWith(sinkText, expected)) return expected;
  let best: number | undefined;
  for (let at = text.indexOf(sinkText); at !== -1; at = text.indexOf(sinkText, at + 1)) {
    if (best === undefined || Math.abs(at - expected) < Math.abs(best - expected)) best = at;
    if (at > expected) break;
  }
  return best;
}

/** One finding per place that passes the input (several sources at one call are one place). */
function distinctCallers(group: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return group.filter((finding) => {
    const key = `${finding.file}\0${finding.startOffset}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function callerLocation(finding: Finding): RelatedLocation {
  const source = finding.properties?.source;
  return { file: finding.file, range: finding.range, message: `Request input${typeof source === 'string' ? ` (${source})` : ''} is passed on here.` };
}

/** A fix the handler's finding offers for this file, moved with the sink; its title no longer needs to name the file. */
function fixHere(fix: FixHint, file: string, delta: number): FixHint[] {
  if (fix.kind !== 'edit' || fix.target?.file !== file) return [];
  const suffix = ` (in ${file})`;
  return [{
    ...fix,
    title: fix.title.endsWith(suffix) ? fix.title.slice(0, -suffix.length) : fix.title,
    edits: fix.edits.map((edit) => ({ ...edit, start: edit.start + delta, end: edit.end + delta })),
  }];
}
