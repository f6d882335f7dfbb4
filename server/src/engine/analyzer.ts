import type { Category, Finding, Severity } from './types';
import { LineIndex } from './text/lineIndex';
import { languageOf, type LanguageInfo } from './files/languages';
import { isLockFile, isTestOrDocsPath, looksMinified, textLooksBinary } from './files/fileTraits';
import { SecretScanner } from './secrets/secretScanner';
import { secretFinding } from './secrets/secretFindings';
import { maskSecret } from './secrets/redact';
import type { CompiledSecretRule } from './secrets/secretRule';
import { applyInlineSuppressions, directivesWithoutReason, parseDirectives, type InlineDirective } from './suppression/inlineSuppressions';
import { defaultConfig, type ShipshapeConfig } from './config/shipshapeConfig';
import { ExemptionMatcher } from './exemptions';
import { ruleDocsUrl } from './ruleCatalog';
import { assignFingerprints } from './fingerprint';
import { FileContext } from './fileContext';
import { FILE_DETECTORS } from './detectors';
import type { FileRouteFacts } from './routes/routeFacts';
import { extractJsRouteFacts } from './routes/js/jsRouteFacts';
import { routeFactsHint, routeHintWords } from './routes/js/routeFactsHint';
import { indexedKeywords } from './readiness/keywordPresence';
import { extractPythonRouteFacts } from './routes/python/pyRouteFacts';
import type { ParseCache } from './js/parseCache';
import type { ViewParameters } from './routes/link/viewParameters';
import { moduleSinks, type ImportedModules, type ModuleSinks } from './input/moduleSinks';

export interface AnalyzerOptions {
  /** Built-in rules, plus workspace rules when the workspace is trusted. */
  secretRules: readonly CompiledSecretRule[];
  config?: ShipshapeConfig;
  /** Editor/CLI severity overrides; they win over the config file's. */
  severityOverrides?: Record<string, Severity | 'off'>;
  /** Files larger than this get secrets scanned only (no structural analysis). */
  maxFileBytes?: number;
  /** At most this many findings per file, so one generated file cannot flood the results. */
  maxFindingsPerFile?: number;
  /**
   * Only these kinds of analysis (default: all). `secret` alone skips parsing entirely, which is
   * what `shipshape scan --rules secret` needs.
   */
  categories?: ReadonlySet<Category>;
  /**
   * Leave the route facts of JS/TS files that can only hold auth helpers or exported path
   * constants (no routes, guards or framework code) for later: a whole-folder scan extracts them
   * with `routeFactsOf` only when a file with route facts refers to them. Library code is full of
   * such files ("token" and a 401).
   */
  deferAuthHelpers?: boolean;
  /**
   * Words the caller wants to know the presence of in each file (a CLI scan: the readiness
   * checks' keywords), found in the secret scan's pass: `FileResult.keywordBits`, bit i for
   * `indexedKeywords(presenceKeywords)[i]`.
   */
  presenceKeywords?: readonly string[];
}

export interface FileInput {
  /** Path used in findings: relative to the analysed root, forward slashes. */
  path: string;
  /**
   * Path relative to the project being analysed, when `path` is relative to something else
   * (the CLI reports paths from the current folder): tests, docs and fixtures are recognised by it.
   */
  projectPath?: string;
  text: string;
  /** The editor's language id, when known. */
  languageId?: string;
  /** Reason, when the workspace knows this file belongs to a front-end-only app. */
  browserOnlyProject?: string;
  /** Package names the file's project depends on (package.json, requirements…), when known. */
  dependencies?: ReadonlySet<string>;
  /** Parse trees kept between analyses of the same file (the editor), so an edit re-parses only what changed. */
  parseCache?: ParseCache;
  /**
   * Findings for this file that need the whole workspace (route auth), computed by the caller
   * from this file's fresh route facts; they get the same suppressions and fingerprints.
   */
  workspaceFindings?: (routeFacts: FileRouteFacts | undefined) => Finding[];
  /**
   * Stop where the file would be parsed and return `needsParse` instead (nothing else): a CLI
   * scan hands such files to a thread that has the parser loaded and warm.
   */
  deferParsing?: boolean;
  /**
   * The Django views of this file and the URL parameters each receives (from the workspace's
   * linked routes: viewParametersByFile); those that are text are request input.
   */
  viewParameters?: ViewParameters;
  /**
   * The input sinks of the modules this file imports by relative path (JS/TS): request input
   * a handler passes to such a module's function is followed into it. See input/moduleSinks.ts.
   */
  importedModules?: ImportedModules;
}

export type SkipReason = 'binary' | 'too-large' | 'minified' | 'lock-file';

export interface FileResult {
  findings: Finding[];
  /** What the file says about routes and auth, for the workspace's route inventory. */
  routeFacts?: FileRouteFacts;
  /** With `deferAuthHelpers`: the file may only hold auth helpers, left for `routeFactsOf` if a route file needs them. */
  deferredRouteFacts?: true;
  /** Detectors that failed on this file (the others' findings are still there). */
  failures?: { detector: string; message: string }[];
  /** Why some analysis was not done on this file (the file still had what could be done). */
  limited?: SkipReason;
  /** Set when nothing at all was analysed. */
  skipped?: SkipReason;
  /** With `presenceKeywords`, when secrets were scanned: which of them the file holds. */
  keywordBits?: Uint32Array;
  /** With `deferParsing`: the file needs a parse tree and was not analysed (`findings` is empty). */
  needsParse?: true;
}

/** Thrown from FileContext's parse hook under `deferParsing`; only analyzeFile catches it. */
const PARSE_DEFERRED = new Error('parse deferred');
const deferParse = (): never => {
  throw PARSE_DEFERRED;
};

export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024;

/** The engine's entry point for one file: text in, findings out. Pure: no I/O, no editor types. */
export class Analyzer {
  private readonly scanner: SecretScanner;
  /** How many marked words of the scanner's pass are the route hint's (first) and the caller's (after them). */
  private readonly routeWords: number;
  private readonly presenceWords: number;
  readonly config: ShipshapeConfig;
  private readonly overrides: Record<string, Severity | 'off'>;
  private readonly exemptions: ExemptionMatcher;

  constructor(private readonly options: AnalyzerOptions) {
    // Words that only their presence matters for ride along with the secret scan's single pass:
    // the route hint's literals, when routes are analysed, and the caller's.
    const routes = !options.categories || options.categories.has('auth') || options.categories.has('readiness');
    this.routeWords = routes ? routeHintWords().length : 0;
    this.presenceWords = options.presenceKeywords ? indexedKeywords(options.presenceKeywords).length : 0;
    this.scanner = new SecretScanner(options.secretRules, [...(routes ? routeHintWords() : []), ...(options.presenceKeywords ? indexedKeywords(options.presenceKeywords) : [])]);
    this.config = options.config ?? defaultConfig();
    this.overrides = { ...this.config.rules, ...options.severityOverrides };
    this.exemptions = new ExemptionMatcher(this.config.exemptions);
  }

  analyzeFile(input: FileInput): FileResult {
    if (textLooksBinary(input.text)) return { findings: [], skipped: 'binary' };
    const language = languageOf(input.path, input.languageId);
    const lines = new LineIndex(input.text);
    const lockFile = isLockFile(input.path);
    const minified = !lockFile && looksMinified(input.path, input.text);
    const tooLarge = input.text.length > (this.options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
    const limited: SkipReason | undefined = lockFile ? 'lock-file' : minified ? 'minified' : tooLarge ? 'too-large' : undefined;

    const wants = (category: Category) => !this.options.categories || this.options.categories.has(category);
    const marks = wants('secret') && this.routeWords + this.presenceWords > 0 ? new Uint32Array(Math.ceil((this.routeWords + this.presenceWords) / 32)) : undefined;
    const findings = wants('secret') ? this.secretFindings(input, language, lines, !limited && !isTestOrDocsPath(input.projectPath ?? input.path), marks) : [];
    const failures: { detector: string; message: string }[] = [];
    let routeFacts: FileRouteFacts | undefined;
    let deferredRouteFacts = false;
    if (!limited && (wants('input') || wants('auth') || wants('readiness'))) {
      const context = new FileContext(input.path, input.projectPath ?? input.path, input.text, language, lines, this.config, input.dependencies ?? new Set(), {
        ...(input.parseCache ? { parseCache: input.parseCache } : {}),
        ...(input.deferParsing ? { beforeParse: deferParse } : {}),
        ...(input.viewParameters ? { viewParameters: input.viewParameters } : {}),
        ...(input.importedModules ? { importedModules: input.importedModules } : {}),
      });
      try {
        for (const detector of FILE_DETECTORS) {
          if (!wants(detector.name as Category)) continue;
          try {
            findings.push(...detector.detect(context));
          } catch (error) {
            if (error === PARSE_DEFERRED) throw error;
            // One detector's bug must not hide the others' findings or crash the editor.
            failures.push({ detector: detector.name, message: (error as Error).message });
          }
        }
        try {
          // Python route facts also serve input analysis: a Django view's URL parameters come from them.
          if (wants('auth') || wants('readiness') || (wants('input') && language.id === 'python')) {
            const hint = language.isScript ? routeFactsHint(context.projectPath, input.text, marks && this.routeWords ? marks : undefined) : undefined;
            if (this.options.deferAuthHelpers && hint === 'helpers') deferredRouteFacts = true;
            // No hint: nothing to extract (and extractJsRouteFacts would take `undefined` for "not
            // known yet" and work the hint out again).
            else routeFacts = (hint ? extractJsRouteFacts(context, hint) : undefined) ?? extractPythonRouteFacts(context);
          }
        } catch (error) {
          if (error === PARSE_DEFERRED) throw error;
          failures.push({ detector: 'routes', message: (error as Error).message });
        }
      } catch (error) {
        if (error !== PARSE_DEFERRED) throw error;
        return { findings: [], needsParse: true };
      }
    }
    if (input.workspaceFindings) findings.push(...input.workspaceFindings(routeFacts));
    if (failures.length) this.maskSecretsIn(failures, input.text, language);

    const directives = parseDirectives(input.text, lines);
    const visible = this.treat(findings, input.path, directives);
    assignFingerprints(visible, input.text, lines);
    const keywordBits = marks && this.presenceWords ? bitsFrom(marks, this.routeWords, this.presenceWords) : undefined;
    return { findings: visible, ...(routeFacts ? { routeFacts } : {}), ...(deferredRouteFacts ? { deferredRouteFacts } : {}), ...(keywordBits ? { keywordBits } : {}), ...(limited ? { limited } : {}), ...(failures.length ? { failures } : {}) };
  }

  /**
   * What the module's exported functions do with their parameters, for handlers in other files
   * that call them (input/moduleSinks.ts). Its own imports are followed through `input.importedModules`.
   */
  moduleSinks(input: FileInput): ModuleSinks {
    const language = languageOf(input.path, input.languageId);
    const context = new FileContext(input.path, input.projectPath ?? input.path, input.text, language, new LineIndex(input.text), this.config, input.dependencies ?? new Set(), {
      ...(input.importedModules ? { importedModules: input.importedModules } : {}),
    });
    return moduleSinks(context);
  }

  /** The route facts of a file whose extraction was deferred (see `deferAuthHelpers`); a failure is reported as `analyzeFile` does. */
  routeFactsOf(input: FileInput): Pick<FileResult, 'routeFacts' | 'failures'> {
    const language = languageOf(input.path, input.languageId);
    const context = new FileContext(input.path, input.projectPath ?? input.path, input.text, language, new LineIndex(input.text), this.config, input.dependencies ?? new Set(), input.parseCache ? { parseCache: input.parseCache } : {});
    try {
      const routeFacts = extractJsRouteFacts(context);
      return routeFacts ? { routeFacts } : {};
    } catch (error) {
      const failures = [{ detector: 'routes', message: (error as Error).message }];
      this.maskSecretsIn(failures, input.text, language);
      return { failures };
    }
  }

  /**
   * Findings computed later from the workspace (route auth in a CLI scan), given the facts of
   * their file: same suppressions, exemptions and severities (they carry their own fingerprints).
   */
  treatWorkspaceFindings(findings: Finding[], facts: FileRouteFacts): Finding[] {
    return this.treat(findings, facts.file, facts.directives, false);
  }

  private treat(findings: Finding[], path: string, directives: readonly InlineDirective[], reportDirectives = true): Finding[] {
    applyInlineSuppressions(findings, directives);
    if (reportDirectives) findings.push(...directivesWithoutReason(directives, path, ruleDocsUrl('config/suppression-without-reason')));
    this.exemptions.apply(findings);
    const visible = this.applySeverityOverrides(findings);
    visible.sort((a, b) => a.startOffset - b.startOffset || a.ruleId.localeCompare(b.ruleId));
    return visible;
  }

  private secretFindings(input: FileInput, language: LanguageInfo, lines: LineIndex, generic: boolean, marks: Uint32Array | undefined): Finding[] {
    const matches = this.scanner.scan(input.text, {
      languageId: language.id,
      generic,
      maxMatches: this.options.maxFindingsPerFile ?? 200,
    }, marks);
    return matches.map((match) => {
      const finding = secretFinding(match, { filePath: input.path, text: input.text, lines, language, browserOnlyProject: input.browserOnlyProject });
      finding.docsUrl = match.rule.fromWorkspace ? match.rule.spec.docs : ruleDocsUrl(match.rule.spec.id);
      return finding;
    });
  }

  /**
   * Failure messages are shown (CLI --verbose, the server's log) and an error can quote the text
   * it choked on (`JSON.parse` does): every secret in the file is masked in them. Failures are
   * rare, so the file is scanned again here rather than relying on the categories this run wanted.
   */
  private maskSecretsIn(failures: { message: string }[], text: string, language: LanguageInfo): void {
    for (const match of this.scanner.scan(text, { languageId: language.id, generic: true, maxMatches: 200 })) {
      const raw = text.slice(match.secretStart, match.secretEnd);
      if (raw) for (const failure of failures) failure.message = failure.message.split(raw).join(maskSecret(raw));
    }
  }

  private applySeverityOverrides(findings: Finding[]): Finding[] {
    if (Object.keys(this.overrides).length === 0) return findings;
    const visible: Finding[] = [];
    for (const finding of findings) {
      const override = this.overrides[finding.ruleId] ?? this.overrides[`${finding.category}/*`];
      if (override === 'off') continue;
      if (override) finding.severity = override;
      visible.push(finding);
    }
    return visible;
  }
}

/** Bits `from` to `from + count` of `marks`, moved down to start at bit 0. */
function bitsFrom(marks: Uint32Array, from: number, count: number): Uint32Array {
  const bits = new Uint32Array(Math.ceil(count / 32));
  for (let word = from >>> 5; word < marks.length; word++) {
    let set = marks[word];
    while (set !== 0) {
      const low = set & -set;
      const bit = (word << 5) + (31 - Math.clz32(low)) - from;
      if (bit >= 0 && bit < count) bits[bit >>> 5] |= 1 << (bit & 31);
      set ^= low;
    }
  }
  return bits;
}
