import type { Finding } from '../engine/types';
import { incomingFindings } from '../engine/input/incomingFlows';
import type { StoredResult } from '../codeActions/codeActionProvider';

export interface PublishEnvironment {
  /** Sends the document's diagnostics (the findings in this order: code actions map them back by index). */
  send(uri: string, version: number, findings: readonly Finding[]): Promise<void>;
  /** The open document's current version and text; undefined once it is closed. */
  document(uri: string): { version: number; text: string } | undefined;
  /** The document's file (absolute) and the name findings give it; undefined for an unsaved one. */
  fileOf(uri: string): { path: string; relative: string } | undefined;
  /** The other files' findings whose sink is in `file` (WorkspaceIndex.findingsReaching). */
  findingsReaching(file: string): Finding[];
  uriOf(file: string): string;
}

interface Shown extends StoredResult {
  /** How many of `findings` are the document's own (the rest come from other files). */
  own: number;
  incomingKey: string;
}

/** How long changes to other files' findings are gathered before the documents they reach are updated. */
const REACHING_BATCH_MS = 100;

/**
 * What the editor shows for each open document: its own findings, then the request input of other
 * files that ends in it (input/incomingFlows.ts: the query a handler's input reaches through a
 * function of this file). Those come from the other files' findings, so when only they change (a
 * handler edited, saved or analysed by the workspace index) the document's diagnostics are sent
 * again without analysing it again.
 */
export class PublishedDiagnostics {
  private readonly shown = new Map<string, Shown>();
  private readonly pending = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly environment: PublishEnvironment) {}

  /** What was last sent for the document (for its code actions). */
  resultFor(uri: string): StoredResult | undefined {
    return this.shown.get(uri);
  }

  delete(uri: string): void {
    this.shown.delete(uri);
  }

  /** Sends a fresh analysis's findings of the document, with what reaches it from other files. */
  async publish(uri: string, version: number, own: Finding[], text: string): Promise<void> {
    const incoming = this.incomingOf(uri, text, own);
    this.shown.set(uri, { version, findings: [...own, ...incoming], own: own.length, incomingKey: keyOf(incoming) });
    await this.environment.send(uri, version, [...own, ...incoming]);
  }

  /** Other files' findings that end in these files (absolute paths) may have changed. */
  reachingChanged(files: readonly string[]): void {
    for (const file of files) this.pending.add(this.environment.uriOf(file));
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      const uris = [...this.pending];
      this.pending.clear();
      for (const uri of uris) void this.refresh(uri);
    }, REACHING_BATCH_MS);
  }

  dispose(): void {
    clearTimeout(this.timer);
  }

  private async refresh(uri: string): Promise<void> {
    const shown = this.shown.get(uri);
    const document = this.environment.document(uri);
    // A document being analysed again gets what reaches it with its own fresh findings.
    if (!shown || !document || document.version !== shown.version) return;
    const own = shown.findings.slice(0, shown.own);
    const incoming = this.incomingOf(uri, document.text, own);
    const incomingKey = keyOf(incoming);
    if (incomingKey === shown.incomingKey) return;
    this.shown.set(uri, { ...shown, findings: [...own, ...incoming], incomingKey });
    await this.environment.send(uri, shown.version, [...own, ...incoming]);
  }

  private incomingOf(uri: string, text: string, own: readonly Finding[]): Finding[] {
    const file = this.environment.fileOf(uri);
    if (!file) return [];
    const reaching = this.environment.findingsReaching(file.path);
    return reaching.length ? incomingFindings(file.relative, text, reaching, own) : [];
  }
}

function keyOf(findings: readonly Finding[]): string {
  return JSON.stringify(findings.map((finding) => [finding.ruleId, finding.range, finding.message, finding.related?.map((related) => [related.file, related.range]), finding.fixes]));
}
