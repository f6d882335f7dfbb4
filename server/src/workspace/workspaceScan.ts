import type { Analyzer, FileInput, FileResult, SkipReason } from '../engine/analyzer';
import type { Finding } from '../engine/types';
import type { FileRouteFacts } from '../engine/routes/routeFacts';
import type { ImportedModules } from '../engine/input/moduleSinks';
import type { WalkedFile } from './fileWalker';
import { readSourceFile, type ReadSkip } from './readSourceFile';
import { KeywordPresence, type KeywordBits } from '../engine/readiness/keywordPresence';
import { MAX_SEARCHED_BYTES } from '../engine/readiness/workspace';

export interface FileNote {
  relative: string;
  reason: ReadSkip | SkipReason | 'ignored' | 'symlink' | 'special' | 'analysis-failed';
  detail?: string;
}

export interface ScanOutcome {
  findings: Finding[];
  filesScanned: number;
  bytesScanned: number;
  /** Files not analysed at all. */
  skipped: FileNote[];
  /** Files analysed only in part: secrets only (minified, over the size limit) or a detector failed on them. */
  limited: FileNote[];
  /** Route facts of the files that have any, for the workspace's route inventory. */
  routeFacts: FileRouteFacts[];
  /** Files whose route facts the analyzer deferred (they may only hold auth helpers). */
  deferredRouteFacts?: WalkedFile[];
  /** With `readinessKeywords`: the keywords each analysed file holds, by `relative` path. */
  keywordsFound?: [string, KeywordBits][];
}

export interface ScanOptions {
  onProgress?: (done: number, total: number) => void;
  /** The dependencies of a file's project (input and route analysis use them). */
  dependenciesOf?: (file: string) => ReadonlySet<string>;
  /** Readiness prefilter keywords to look for in each file while it is read, so the assessment need not read it again. */
  readinessKeywords?: readonly string[];
  /**
   * The index of the next file this scan takes, shared with other threads scanning the same
   * list (each file is taken once); default: every file in order.
   */
  takeNext?: () => number;
  /**
   * Where files that need a parse tree go instead of being analysed here (their index in the
   * list and text); the caller analyses them on another thread and records them with a ScanRecorder.
   */
  parseElsewhere?: (index: number, text: string) => void;
  /** The modules a file imports, for following request input into them (input analysis). */
  importedModules?: (file: WalkedFile) => ImportedModules;
}

/** What the analyzer's input for a walked file takes from the scan besides its text. */
export type FileInputSources = Pick<ScanOptions, 'dependenciesOf' | 'importedModules'>;

/**
 * The analyzer's input for a walked file read as `text`: paths as the scan reports them, its
 * project's dependencies and the modules it imports when known.
 */
export function walkedFileInput(file: WalkedFile, text: string, sources: FileInputSources = {}): FileInput {
  const { dependenciesOf, importedModules } = sources;
  return { path: file.relative, projectPath: file.projectPath, text, ...(dependenciesOf ? { dependencies: dependenciesOf(file.path) } : {}), ...(importedModules ? { importedModules: importedModules(file) } : {}) };
}

/** Reads each file once and runs the analyzer on it; nothing a file contains can stop the scan. */
export function scanFiles(files: readonly WalkedFile[], analyzer: Analyzer, options: ScanOptions = {}, recorder = new ScanRecorder(options.readinessKeywords)): ScanOutcome {
  const { onProgress, parseElsewhere } = options;
  let nextInOrder = 0;
  const takeNext = options.takeNext ?? (() => nextInOrder++);
  let done = 0;
  for (let index = takeNext(); index < files.length; index = takeNext()) {
    const file = files[index];
    onProgress?.(done++, files.length);
    const read = readSourceFile(file.path, file.size);
    if ('skip' in read) {
      recorder.skip(file, read.skip, read.detail);
      continue;
    }
    let result;
    try {
      result = analyzer.analyzeFile({ ...walkedFileInput(file, read.text, options), ...(parseElsewhere ? { deferParsing: true } : {}) });
    } catch (error) {
      recorder.failed(file, error as Error);
      continue;
    }
    if (result.needsParse && parseElsewhere) parseElsewhere(index, read.text);
    else recorder.record(file, read.text, result);
  }
  onProgress?.(done, files.length);
  return recorder.outcome;
}

/** Builds a scan's outcome from each file's result, whichever thread analysed the file. */
export class ScanRecorder {
  readonly outcome: ScanOutcome = { findings: [], filesScanned: 0, bytesScanned: 0, skipped: [], limited: [], routeFacts: [] };
  private readonly readinessKeywords: KeywordPresence | undefined;

  constructor(readinessKeywords?: readonly string[]) {
    this.readinessKeywords = readinessKeywords && new KeywordPresence(readinessKeywords);
    if (this.readinessKeywords) this.outcome.keywordsFound = [];
  }

  skip(file: WalkedFile, reason: FileNote['reason'], detail?: string): void {
    this.outcome.skipped.push({ relative: file.relative, reason, ...(detail ? { detail } : {}) });
  }

  failed(file: WalkedFile, error: Error): void {
    this.skip(file, 'unreadable', `analysis failed: ${error.message}`);
  }

  record(file: WalkedFile, text: string, result: FileResult): void {
    const outcome = this.outcome;
    outcome.filesScanned++;
    outcome.bytesScanned += text.length;
    if (result.skipped) outcome.skipped.push({ relative: file.relative, reason: result.skipped });
    else if (result.limited) outcome.limited.push({ relative: file.relative, reason: result.limited });
    else if (result.failures) outcome.limited.push({ relative: file.relative, reason: 'analysis-failed', detail: describeFailures(result.failures) });
    outcome.findings.push(...result.findings);
    if (result.routeFacts) outcome.routeFacts.push(result.routeFacts);
    if (result.deferredRouteFacts) (outcome.deferredRouteFacts ??= []).push(file);
    // Readiness never searches larger files: none of their keywords count. The analyzer finds the
    // others in its secret scan when it was given the same keywords (createAnalyzer does).
    const keywords = this.readinessKeywords;
    if (keywords) outcome.keywordsFound!.push([file.relative, text.length > MAX_SEARCHED_BYTES ? keywords.bitsOf('') : result.keywordBits ?? keywords.bitsOf(text)]);
  }
}

/** What failed, short enough for one line of verbose output. */
export function describeFailures(failures: readonly { detector: string; message: string }[]): string {
  return failures.map((failure) => `${failure.detector}: ${failure.message.split('\n')[0].slice(0, 160)}`).join('; ');
}
