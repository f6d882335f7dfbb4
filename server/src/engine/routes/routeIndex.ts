import type { ShipshapeConfig } from '../config/shipshapeConfig';
import type { Finding } from '../types';
import type { FileRouteFacts } from './routeFacts';
import { buildRouteInventory, type LinkedInventory } from './link/buildInventory';
import { routeFindingsFor } from './routeFindings';
import { viewParametersByFile, type ViewParameters } from './link/viewParameters';

/**
 * The workspace's route facts, kept per file and replaced one file at a time, so an edit
 * re-parses only the edited file; the (cheap) linking is redone lazily when asked for.
 */
export class RouteIndex {
  private readonly facts = new Map<string, FileRouteFacts>();
  /** What other files can see of each file's facts (no positions), to tell edits that matter elsewhere. */
  private readonly signatures = new Map<string, string>();
  private readonly files = new Set<string>();
  private linked: { config: ShipshapeConfig; inventory: LinkedInventory; viewParameters?: Map<string, ViewParameters> } | undefined;
  private lastViewParameters: Map<string, ViewParameters> | undefined;

  /** Every workspace file, for resolving imports (route facts exist only for some). */
  addFiles(files: Iterable<string>): void {
    for (const file of files) this.files.add(file);
    this.linked = undefined;
  }

  removeFile(file: string): void {
    this.files.delete(file);
    this.signatures.delete(file);
    if (this.facts.delete(file)) this.linked = undefined;
  }

  /**
   * Records a file's fresh facts (undefined: the file says nothing about routes). Returns
   * whether the change can affect other files' findings: an edit that only moves code around
   * keeps the same signature, so nothing else needs re-checking.
   */
  update(file: string, facts: FileRouteFacts | undefined): boolean {
    this.files.add(file);
    const previous = this.facts.get(file);
    if (!facts && !previous) return false;
    if (facts) this.facts.set(file, facts);
    else this.facts.delete(file);
    this.linked = undefined;
    const signature = facts ? linkSignature(facts) : '';
    const changed = signature !== (this.signatures.get(file) ?? '');
    if (facts) this.signatures.set(file, signature);
    else this.signatures.delete(file);
    return changed;
  }

  get fileCount(): number {
    return this.files.size;
  }

  inventory(config: ShipshapeConfig): LinkedInventory {
    if (!this.linked || this.linked.config !== config) this.linked = { config, inventory: buildRouteInventory(this.facts, this.files, config) };
    return this.linked.inventory;
  }

  /** The Django views of a file and the URL parameters each receives, per the linked URL configuration. */
  viewParametersOf(file: string, config: ShipshapeConfig): ViewParameters | undefined {
    const inventory = this.inventory(config);
    const linked = this.linked!;
    linked.viewParameters ??= viewParametersByFile(inventory.routes);
    this.lastViewParameters = linked.viewParameters;
    return linked.viewParameters.get(file);
  }

  /**
   * The same as of the last linking, without linking again: for the validation of each edit,
   * which must not pay for a relink that every keystroke in a route file would cause. Whoever
   * relinks after an edit (the server, 250 ms later) compares with viewParametersOf.
   */
  recentViewParametersOf(file: string, config: ShipshapeConfig): ViewParameters | undefined {
    return this.lastViewParameters ? this.lastViewParameters.get(file) : this.viewParametersOf(file, config);
  }

  /** Files with Django views that receive URL parameters. */
  filesWithViewParameters(config: ShipshapeConfig): string[] {
    this.viewParametersOf('', config);
    return [...this.linked!.viewParameters!.keys()];
  }

  /** Route auth findings for one file (before suppressions, which the analyzer applies). */
  findingsFor(file: string, config: ShipshapeConfig): Finding[] {
    if (!this.facts.has(file)) return [];
    return routeFindingsFor(file, this.inventory(config), this.facts, this.files);
  }

  factsOf(file: string): FileRouteFacts | undefined {
    return this.facts.get(file);
  }

  filesWithFacts(): string[] {
    return [...this.facts.keys()];
  }
}

/** The facts without positions and source text: what changes only when the code's meaning does. */
function linkSignature(facts: FileRouteFacts): string {
  return JSON.stringify(facts, (key, value) => (POSITION_KEYS.has(key) ? undefined : value));
}

const POSITION_KEYS = new Set(['span', 'range', 'start', 'end', 'lineText', 'offset', 'importsEnd', 'appendAt', 'directives', 'line']);
