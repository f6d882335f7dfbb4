/**
 * The plain data that flows out of the engine. Detectors produce findings; adapters
 * (LSP diagnostics, CLI formats, readiness model) only read them.
 */

export type Category = 'secret' | 'auth' | 'input' | 'readiness' | 'config';
export type Severity = 'error' | 'warning' | 'info';

/** Zero-based line and UTF-16 character, as in LSP. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A place in a file: path relative to the analysed root (forward slashes) or absolute. */
export interface Location {
  file: string;
  range: Range;
}

export interface RelatedLocation extends Location {
  message: string;
}

export interface Suppression {
  kind: 'inline' | 'exemption';
  reason: string;
  /** Where the inline comment is, for editors that want to show it. */
  line?: number;
}

/**
 * What a quick fix needs to know, decided by the detector (which knows the code) and
 * turned into an edit by an adapter (which knows the editor).
 */
export type FixHint =
  | {
      kind: 'move-to-env';
      /** Suggested variable name, e.g. STRIPE_SECRET_KEY. */
      envName: string;
      /** Start and end offsets of the literal to replace (quotes included). */
      literalStart: number;
      literalEnd: number;
      /** Start and end offsets of the secret inside the literal. */
      secretStart: number;
      secretEnd: number;
    }
  | { kind: 'server-only'; explanation: string }
  | { kind: 'edit'; title: string; edits: TextEdit[]; preferred?: boolean; target?: FixTarget };

/**
 * Where an edit fix applies when it is not the finding's own file (a query in the module a
 * handler calls): that file, and the text each edit replaces, so that the fix is offered only
 * while the file still holds that text.
 */
export interface FixTarget {
  /** As findings name files. */
  file: string;
  /** The text each edit (in order) replaces. */
  originals: readonly string[];
}

export interface TextEdit {
  /** Offsets into the file text the finding was computed from. */
  start: number;
  end: number;
  newText: string;
}

export interface Finding {
  ruleId: string;
  category: Category;
  severity: Severity;
  /** Plain-language message; never contains a secret value. */
  message: string;
  file: string;
  range: Range;
  /** Offsets into the analysed text; adapters use them for edits and fingerprints. */
  startOffset: number;
  endOffset: number;
  docsUrl?: string;
  related?: RelatedLocation[];
  fixes?: FixHint[];
  suppression?: Suppression;
  /** Masked form of a secret (first 4 characters and length), for display. */
  maskedSecret?: string;
  /** Content-based identity for baselines and SARIF (see fingerprint.ts). */
  fingerprint?: string;
  /** Extra facts adapters may show (e.g. rotation link, boundary reason). */
  properties?: Record<string, string | number | boolean>;
  /**
   * Request input that reaches a sink in another file (a query in the module the handler calls):
   * that sink, for editors that also show the problem there (see input/incomingFlows.ts).
   */
  remoteSink?: RemoteSinkOfFinding;
}

export interface RemoteSinkOfFinding extends Location {
  /** The sink's code as the analysis saw it, and its offset, to find it again after edits; never output. */
  sinkText: string;
  sinkStart: number;
  /** The problem worded for that file: where the input comes from. */
  message: string;
}
