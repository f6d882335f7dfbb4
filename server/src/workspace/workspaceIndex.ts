import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Analyzer } from '../engine/analyzer';
import type { Finding } from '../engine/types';
import type { FileRouteFacts } from '../engine/routes/routeFacts';
import { RouteIndex } from '../engine/routes/routeIndex';
import type { LinkedInventory } from '../engine/routes/link/buildInventory';
import type { ShipshapeConfig } from '../engine/config/shipshapeConfig';
import { walkWorkspace } from './fileWalker';
import { readSourceFile } from './readSourceFile';
import { describeFailures } from './workspaceScan';
import { viewParametersKey, type ViewParameters } from '../engine/routes/link/viewParameters';
import type { ImportedModules } from '../engine/input/moduleSinks';

/** The workspace's analysis results per file, in one folder. */
interface FolderIndex {
  root: string;
  /** `viewParameters`: the key (viewParametersKey) of the Django URL parameters the file was analysed with. */
  files: Map<string, FileEntry>;
  /** Files whose findings have a sink in another file (`remoteSink`), by that file. */
  reaching: Map<string, Set<string>>;
  routes: RouteIndex;
  /** Every file the walk found (relative), readable or not: readiness checks look for files by name. */
  allFiles: Set<string>;
}

interface FileEntry {
  findings: Finding[];
  viewParameters?: string;
}

export interface IndexEnvironment {
  /** Analyzer for a file (per folder and settings). */
  analyzerFor(file: string): Analyzer;
  /** Packages the file's project depends on. */
  dependenciesOf?(file: string): ReadonlySet<string>;
  configOf(file: string): ShipshapeConfig;
  /** Whether the user excluded the file (settings, .shipshapeignore). */
  isExcluded(file: string): boolean;
  /** Yields to the event loop, so editor requests are served between chunks of work. */
  yieldNow(): Promise<void>;
  onProgress?(done: number, total: number): void;
  /** A detector failed on a file (its other findings are kept): for the log. */
  onAnalysisFailure?(file: string, description: string): void;
  /** Whether the file is open in the editor (its document's results win over the disk's). */
  isOpen?(file: string): boolean;
  /** The modules a file imports, for following request input into them (see input/moduleSinks.ts). */
  importedModules?(file: string, relative: string, analyzer: Analyzer): ImportedModules;
  /** The findings of other files that end in these files (`findingsReaching`) may have changed. */
  onReachingChanged?(files: string[]): void;
}

/**
 * Whole-workspace results behind the Findings and Routes views and the route inventory:
 * built once in the background (in small slices, so the editor stays responsive), then kept
 * current file by file from edits and file-system events. Open documents always win over disk.
 */
export class WorkspaceIndex {
  private readonly folders = new Map<string, FolderIndex>();
  private building: Promise<void> | undefined;
  private generation = 0;

  constructor(private readonly environment: IndexEnvironment) {}

  /** (Re)builds the index of every folder. A newer call supersedes a running one. */
  build(roots: readonly string[]): Promise<void> {
    const generation = ++this.generation;
    this.folders.clear();
    for (const root of roots) this.folders.set(root, { root, files: new Map(), reaching: new Map(), routes: new RouteIndex(), allFiles: new Set() });
    this.building = this.scanAll(generation);
    return this.building;
  }

  /** Resolves when the current build is done. */
  ready(): Promise<void> {
    return this.building ?? Promise.resolve();
  }

  /** Replaces a file's results with those of its open document (called after each validation). */
  recordDocument(file: string, findings: Finding[]): void {
    const folder = this.folderOf(file);
    if (!folder) return;
    // Route findings are derived from the inventory on demand; keep only the file's own.
    this.setEntry(folder, this.relative(folder, file), { findings: findings.filter((finding) => !isRouteFinding(finding)) });
  }

  /** A file changed or appeared on disk (and is not open): analyse it again. */
  refreshFromDisk(file: string, size: number): void {
    const folder = this.folderOf(file);
    if (!folder) return;
    this.analyseFromDisk(folder, file, size);
  }

  /**
   * Django views receive URL parameters that only the linked URL configuration knows: files
   * not open whose views' parameters changed since they were analysed (the index was built,
   * a urls.py changed) are analysed again. Returns how many.
   */
  refreshViewParameters(): number {
    let refreshed = 0;
    for (const folder of this.folders.values()) {
      const config = this.environment.configOf(path.join(folder.root, '.shipshape.json'));
      const candidates = new Set(folder.routes.filesWithViewParameters(config));
      for (const [relative, entry] of folder.files) if (entry.viewParameters) candidates.add(relative);
      // What each file gets, worked out before any is analysed again (which re-links).
      const wanted = [...candidates].map((relative) => ({ relative, parameters: folder.routes.viewParametersOf(relative, config) }));
      for (const { relative, parameters } of wanted) {
        const entry = folder.files.get(relative);
        const file = path.join(folder.root, relative);
        if (!entry || this.environment.isOpen?.(file)) continue;
        if ((entry.viewParameters ?? '') === viewParametersKey(parameters)) continue;
        const size = fs.statSync(file, { throwIfNoEntry: false })?.size;
        if (size === undefined) continue;
        this.analyseFromDisk(folder, file, size, parameters ?? null);
        refreshed++;
      }
    }
    return refreshed;
  }

  removeFile(file: string): void {
    const folder = this.folderOf(file);
    if (!folder) return;
    const relative = this.relative(folder, file);
    this.setEntry(folder, relative, undefined);
    folder.allFiles.delete(relative);
    folder.routes.removeFile(relative);
  }

  /** The route index of the folder holding `file` (for the validation of an open document). */
  routesOf(file: string): { routes: RouteIndex; relative: string } | undefined {
    const folder = this.folderOf(file);
    return folder ? { routes: folder.routes, relative: this.relative(folder, file) } : undefined;
  }

  /** Every folder's route inventory, with each route's file made absolute. */
  inventories(): { root: string; inventory: LinkedInventory }[] {
    return [...this.folders.values()].map((folder) => ({ root: folder.root, inventory: folder.routes.inventory(this.environment.configOf(path.join(folder.root, '.shipshape.json'))) }));
  }

  /** Every unsuppressed finding of the workspace (paths relative to their folder), route findings included. */
  findings(): { root: string; findings: Finding[] }[] {
    return [...this.folders.values()].map((folder) => {
      const config = this.environment.configOf(path.join(folder.root, '.shipshape.json'));
      const own = [...folder.files.values()].flatMap((entry) => entry.findings);
      const routeFindings = folder.routes.filesWithFacts().flatMap((relative) => {
        const facts = folder.routes.factsOf(relative)!;
        const found = folder.routes.findingsFor(relative, config);
        return found.length ? this.environment.analyzerFor(path.join(folder.root, relative)).treatWorkspaceFindings(found, facts) : [];
      });
      return { root: folder.root, findings: [...own, ...routeFindings].filter((finding) => !finding.suppression) };
    });
  }

  /**
   * The findings of other files whose sink is in `file`: request input they hand to a function
   * it defines reaches a query there (see input/incomingFlows.ts).
   */
  findingsReaching(file: string): Finding[] {
    const folder = this.folderOf(file);
    if (!folder) return [];
    const relative = this.relative(folder, file);
    return [...folder.reaching.get(relative) ?? []].flatMap((source) => folder.files.get(source)?.findings.filter((finding) => finding.remoteSink?.file === relative) ?? []);
  }

  /** Every file of `root` (relative paths), whether or not it could be analysed. */
  allFilesOf(root: string): string[] {
    return [...(this.folders.get(root)?.allFiles ?? [])].sort();
  }

  private async scanAll(generation: number): Promise<void> {
    const work: { folder: FolderIndex; file: string; size: number }[] = [];
    for (const folder of this.folders.values()) {
      const walked = walkWorkspace(folder.root);
      folder.routes.addFiles(walked.files.map((file) => file.relative));
      for (const file of walked.files) folder.allFiles.add(file.relative);
      for (const file of walked.files) {
        if (!this.environment.isExcluded(file.path)) work.push({ folder, file: file.path, size: file.size });
      }
    }
    let sliceStarted = Date.now();
    for (let index = 0; index < work.length; index++) {
      if (generation !== this.generation) return;
      const { folder, file, size } = work[index];
      // Without view parameters: they need the whole workspace linked (after the loop).
      if (!folder.files.has(this.relative(folder, file))) this.analyseFromDisk(folder, file, size, null);
      // About 15 ms of work, then let the editor's requests through.
      if (Date.now() - sliceStarted > 15) {
        this.environment.onProgress?.(index + 1, work.length);
        await this.environment.yieldNow();
        sliceStarted = Date.now();
      }
    }
    if (generation !== this.generation) return;
    this.refreshViewParameters();
    this.environment.onProgress?.(work.length, work.length);
  }

  /**
   * `viewParameters`: the URL parameters of the file's Django views (null: none); by default
   * what the current linking gives them.
   */
  private analyseFromDisk(folder: FolderIndex, file: string, size: number, viewParameters?: ViewParameters | null): void {
    const relative = this.relative(folder, file);
    folder.allFiles.add(relative);
    const read = readSourceFile(file, size);
    if ('skip' in read) {
      this.setEntry(folder, relative, undefined);
      folder.routes.update(relative, undefined);
      return;
    }
    let facts: FileRouteFacts | undefined;
    if (viewParameters === undefined) viewParameters = folder.routes.viewParametersOf(relative, this.environment.configOf(file));
    try {
      const analyzer = this.environment.analyzerFor(file);
      const result = analyzer.analyzeFile({
        path: relative,
        text: read.text,
        ...(viewParameters ? { viewParameters } : {}),
        ...(this.environment.importedModules ? { importedModules: this.environment.importedModules(file, relative, analyzer) } : {}),
        ...(this.environment.dependenciesOf ? { dependencies: this.environment.dependenciesOf(file) } : {}),
        workspaceFindings: (fresh) => {
          facts = fresh;
          return [];
        },
      });
      folder.routes.update(relative, facts);
      this.setEntry(folder, relative, { findings: result.findings, ...(viewParameters ? { viewParameters: viewParametersKey(viewParameters) } : {}) });
      if (result.failures) this.environment.onAnalysisFailure?.(relative, describeFailures(result.failures));
    } catch (error) {
      // An analysis bug on one file must not stop the index; the file is simply left out.
      this.setEntry(folder, relative, undefined);
      this.environment.onAnalysisFailure?.(relative, (error as Error).message);
    }
  }

  /** Replaces (or, with undefined, removes) a file's results, keeping `reaching` up to date. */
  private setEntry(folder: FolderIndex, relative: string, entry: FileEntry | undefined): void {
    const before = sinkFilesOf(folder.files.get(relative));
    if (entry) folder.files.set(relative, entry);
    else folder.files.delete(relative);
    const after = sinkFilesOf(entry);
    if (before.size === 0 && after.size === 0) return;
    for (const sinkFile of before) {
      const sources = folder.reaching.get(sinkFile);
      if (after.has(sinkFile) || !sources) continue;
      sources.delete(relative);
      if (sources.size === 0) folder.reaching.delete(sinkFile);
    }
    for (const sinkFile of after) {
      const sources = folder.reaching.get(sinkFile) ?? new Set<string>();
      sources.add(relative);
      folder.reaching.set(sinkFile, sources);
    }
    this.environment.onReachingChanged?.([...new Set([...before, ...after])].map((sinkFile) => path.join(folder.root, sinkFile)));
  }

  private folderOf(file: string): FolderIndex | undefined {
    let best: FolderIndex | undefined;
    for (const folder of this.folders.values()) {
      if ((file === folder.root || file.startsWith(folder.root + path.sep)) && (!best || folder.root.length > best.root.length)) best = folder;
    }
    return best;
  }

  private relative(folder: FolderIndex, file: string): string {
    return path.relative(folder.root, file).split(path.sep).join('/');
  }
}

function sinkFilesOf(entry: FileEntry | undefined): Set<string> {
  const files = new Set<string>();
  for (const finding of entry?.findings ?? []) if (finding.remoteSink) files.add(finding.remoteSink.file);
  return files;
}

function isRouteFinding(finding: Finding): boolean {
  return finding.category === 'auth';
}
