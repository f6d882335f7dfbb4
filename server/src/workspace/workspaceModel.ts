import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { Analyzer } from '../engine/analyzer';
import { builtinSecretRules } from '../engine/builtinRules';
import { defaultConfig, parseShipshapeConfig, type ConfigProblem, type ShipshapeConfig } from '../engine/config/shipshapeConfig';
import { compileWorkspaceSecretRules } from '../engine/secrets/workspaceRules';
import type { ShipshapeSettings } from '../settings';

export const CONFIG_FILE = '.shipshape.json';
export const IGNORE_FILE = '.shipshapeignore';

/** What Shipshape knows about one workspace folder: its config, ignore file and analyzers. */
interface FolderState {
  root: string;
  config: ShipshapeConfig;
  problems: ConfigProblem[];
  ignore: Ignore;
  analyzers: Map<string, Analyzer>;
}

/**
 * The workspace as the server sees it: folders, their .shipshape.json and .shipshapeignore,
 * and whether the user trusts them (workspace-supplied patterns run only when trusted).
 */
export class WorkspaceModel {
  private folders: FolderState[] = [];

  constructor(private readonly rulesDirectory: string, private trusted: boolean, private readonly readText: (file: string) => string | undefined) {}

  get isTrusted(): boolean {
    return this.trusted;
  }

  setTrusted(trusted: boolean): void {
    this.trusted = trusted;
    for (const folder of this.folders) folder.analyzers.clear();
  }

  setFolders(roots: readonly string[]): void {
    // Longest first, so nested folders win in folderOf().
    this.folders = [...new Set(roots)].sort((a, b) => b.length - a.length).map((root) => this.loadFolder(root));
  }

  get roots(): string[] {
    return this.folders.map((folder) => folder.root);
  }

  /** Re-reads a folder's .shipshape.json and .shipshapeignore (after they change). */
  reload(root: string): void {
    const index = this.folders.findIndex((folder) => folder.root === root);
    if (index >= 0) this.folders[index] = this.loadFolder(root);
  }

  folderOf(file: string): string | undefined {
    return this.stateOf(file)?.root;
  }

  configOf(file: string): ShipshapeConfig {
    return this.stateOf(file)?.config ?? defaultConfig();
  }

  problemsOf(root: string): ConfigProblem[] {
    return this.folders.find((folder) => folder.root === root)?.problems ?? [];
  }

  /** Path used in findings: relative to its workspace folder, forward slashes. */
  relativePath(file: string): string {
    const root = this.folderOf(file);
    return (root ? path.relative(root, file) : file).split(path.sep).join('/');
  }

  isIgnored(file: string, settings: ShipshapeSettings): boolean {
    const state = this.stateOf(file);
    if (!state) return false;
    const relative = path.relative(state.root, file).split(path.sep).join('/');
    if (!relative || relative.startsWith('..')) return false;
    if (state.ignore.ignores(relative)) return true;
    return settings.exclude.length > 0 && ignore().add(settings.exclude).ignores(relative);
  }

  analyzerFor(file: string, settings: ShipshapeSettings): Analyzer {
    const state = this.stateOf(file);
    const key = JSON.stringify([settings.severity, settings.maxFileSize, this.trusted]);
    const cached = state?.analyzers.get(key);
    if (cached) return cached;
    const config = state?.config ?? defaultConfig();
    const workspaceRules = this.trusted ? compileWorkspaceSecretRules(config.secretRules).rules : [];
    const analyzer = new Analyzer({
      secretRules: [...builtinSecretRules(this.rulesDirectory), ...workspaceRules],
      config,
      severityOverrides: settings.severity,
      maxFileBytes: settings.maxFileSize,
    });
    if (state) {
      if (state.analyzers.size > 8) state.analyzers.clear();
      state.analyzers.set(key, analyzer);
    }
    return analyzer;
  }

  private stateOf(file: string): FolderState | undefined {
    return this.folders.find((folder) => file === folder.root || file.startsWith(folder.root + path.sep));
  }

  private loadFolder(root: string): FolderState {
    const configText = this.readText(path.join(root, CONFIG_FILE));
    let config = defaultConfig();
    let problems: ConfigProblem[] = [];
    if (configText !== undefined) {
      ({ config, problems } = parseShipshapeConfig(configText));
      for (const problem of compileWorkspaceSecretRules(config.secretRules).problems) {
        problems.push({ message: problem.message, ...problem.rule.regexLocation, severity: 'error' });
      }
    }
    const ignoreText = this.readText(path.join(root, IGNORE_FILE));
    return { root, config, problems, ignore: ignore().add(ignoreText ?? ''), analyzers: new Map() };
  }
}

/** Reads a file as text, or undefined when it does not exist or cannot be read. */
export function readTextFromDisk(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
