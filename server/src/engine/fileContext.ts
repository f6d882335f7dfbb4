import type * as ts from 'typescript';
import type { LanguageInfo } from './files/languages';
import type { LineIndex } from './text/lineIndex';
import type { ShipshapeConfig } from './config/shipshapeConfig';
import type { Finding } from './types';
import { parseScript } from './js/parseScript';
import type { ParseCache } from './js/parseCache';
import type { ViewParameters } from './routes/link/viewParameters';
import type { ImportedModules } from './input/moduleSinks';
import type { PyModule } from './python/ast';
import { parsePython } from './python/parser';

export interface FileContextOptions {
  /** The editor's previous parse of this file, for incremental re-parsing. */
  parseCache?: ParseCache;
  /** Called before the file is parsed (either language); it may throw to stop the analysis there. */
  beforeParse?: () => void;
  /** Django views of this file and the URL parameters each receives, known from the workspace's URL configuration. */
  viewParameters?: ViewParameters;
  /** The input sinks of the modules the file imports by relative path (JS/TS; see input/moduleSinks.ts). */
  importedModules?: ImportedModules;
}

/**
 * What a per-file detector gets: the text, its language, positions, the workspace config,
 * and the parse tree built on first request (so files no detector needs are never parsed).
 */
export class FileContext {
  private parsedScript: ts.SourceFile | undefined | null = null;
  private parsedPython: PyModule | undefined | null = null;

  constructor(
    /** Path used in findings (relative, forward slashes). */
    readonly path: string,
    /** Path relative to the project root, for recognising tests, fixtures, app folders. */
    readonly projectPath: string,
    readonly text: string,
    readonly language: LanguageInfo,
    readonly lines: LineIndex,
    readonly config: ShipshapeConfig,
    /** Packages the file's project depends on; empty when unknown. */
    readonly dependencies: ReadonlySet<string>,
    private readonly options: FileContextOptions = {},
  ) {}

  /** Django views' URL parameters (see FileContextOptions.viewParameters). */
  get viewParameters(): ViewParameters | undefined {
    return this.options.viewParameters;
  }

  /** The sinks of modules the file imports (see FileContextOptions.importedModules). */
  get importedModules(): ImportedModules | undefined {
    return this.options.importedModules;
  }

  /** The TypeScript parse tree of a JS/TS file, or undefined for other languages. */
  sourceFile(): ts.SourceFile | undefined {
    if (this.parsedScript === null) {
      if (!this.language.isScript) this.parsedScript = undefined;
      else {
        this.options.beforeParse?.();
        const cache = this.options.parseCache;
        this.parsedScript = cache ? cache.parse(this.path, this.text, this.language.id) : parseScript(this.path, this.text, this.language.id);
      }
    }
    return this.parsedScript;
  }

  /**
   * Whether the parse tree comes from the editor's incremental parse cache: unchanged parts of
   * the next version's tree will then be the same objects, and per-node results are worth keeping.
   */
  get reparsedIncrementally(): boolean {
    return !!this.options.parseCache;
  }

  /** The Python parse tree of a Python file, or undefined for other languages. */
  pythonModule(): PyModule | undefined {
    if (this.parsedPython === null) {
      if (this.language.id !== 'python') this.parsedPython = undefined;
      else {
        this.options.beforeParse?.();
        this.parsedPython = parsePython(this.text);
      }
    }
    return this.parsedPython;
  }

  /** Converts offsets into a finding's range. */
  rangeOf(start: number, end: number) {
    return this.lines.rangeOf(start, end);
  }
}

/** A detector that works on one file at a time. It must never throw on odd input. */
export type FileDetector = (context: FileContext) => Finding[];
