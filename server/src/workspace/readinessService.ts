import * as path from 'node:path';
import type { ShipshapeConfig } from '../engine/config/shipshapeConfig';
import type { ReadinessReport } from '../engine/readiness/types';
import type { Route } from '../engine/routes/routeTypes';
import type { Finding } from '../engine/types';
import type { LinkedInventory } from '../engine/routes/link/buildInventory';
import { readinessMarkdown } from '../report/readinessReport';
import type { ReadinessDto } from '../protocol';
import { uriOf } from '../codeActions/documentAccess';
import { assessWorkspace, gitTrackedFiles, type OnlineOptions } from './readinessAssessment';

export interface ReadinessSources {
  roots(): string[];
  files(root: string): string[];
  /** Text of a file under `root` (the editor's text when open). */
  read(root: string, relative: string): string | undefined;
  findings(root: string): Finding[];
  inventory(root: string): LinkedInventory | undefined;
  config(root: string): ShipshapeConfig;
  online(root: string): OnlineOptions | undefined;
  onError(error: unknown): void;
  onAssessed(): void;
}

/**
 * Keeps the readiness assessment of each workspace folder current: re-assessed (debounced)
 * after the workspace index changes, one assessment at a time, never blocking the editor
 * longer than one assessment step.
 */
export class ReadinessService {
  private readonly reports = new Map<string, ReadinessReport>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private assessedOnce = false;

  constructor(private readonly sources: ReadinessSources, private readonly delayMs = 500) {}

  get complete(): boolean {
    return this.assessedOnce;
  }

  /** Asks for a new assessment soon; repeated requests collapse into one. */
  schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(), this.delayMs);
  }

  /** Assesses now and resolves when done (the refresh command). */
  async refresh(): Promise<void> {
    clearTimeout(this.timer);
    await this.run();
  }

  dtos(): ReadinessDto[] {
    return [...this.reports.entries()].map(([root, report]) => toDto(root, report));
  }

  private async run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        for (const root of this.sources.roots()) {
          const inventory = this.sources.inventory(root);
          const trackedFiles = await gitTrackedFiles(root);
          const online = this.sources.online(root);
          const report = await assessWorkspace({
            root,
            files: this.sources.files(root),
            read: (relative) => this.sources.read(root, relative),
            findings: this.sources.findings(root),
            ...(inventory ? { routes: inventory.routes.map(publicRoute) } : {}),
            config: this.sources.config(root),
            ...(trackedFiles ? { trackedFiles } : {}),
            ...(online ? { online } : {}),
          });
          this.reports.set(root, report);
        }
        for (const root of [...this.reports.keys()]) if (!this.sources.roots().includes(root)) this.reports.delete(root);
        this.assessedOnce = true;
        this.sources.onAssessed();
      } catch (error) {
        this.sources.onError(error);
      } finally {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.schedule();
        }
      }
    })();
    return this.running;
  }
}

function publicRoute(route: Route): Route {
  const { method, path: routePath, framework, file, range, handler, auth, evidence, stateChanging } = route;
  return { method, path: routePath, framework, file, range, ...(handler ? { handler } : {}), auth, evidence, stateChanging };
}

function toDto(root: string, report: ReadinessReport): ReadinessDto {
  const uri = (relative: string) => uriOf(path.join(root, relative));
  return {
    root: uriOf(root),
    level: report.level,
    ...(report.nextLevel ? { nextLevel: report.nextLevel } : {}),
    areas: report.areas,
    units: report.units.map((unit) => ({
      uri: uri(unit.path),
      name: unit.name,
      path: unit.path,
      kind: unit.kind,
      level: unit.level,
      areas: unit.areas,
      checks: unit.checks.map((check) => ({
        id: check.id,
        title: check.title,
        area: check.area,
        severity: check.severity,
        level: check.level,
        effort: check.effort,
        docs: check.docs,
        remediation: check.remediation,
        status: check.status,
        evidence: check.evidence.map((item) => ({ uri: uri(item.file), range: item.range, description: item.description })),
        ...(check.reason ? { reason: check.reason } : {}),
        applicable: check.applicable,
        scope: check.scope,
        ...(check.exemption ? { exemption: check.exemption } : {}),
      })),
    })),
    markdown: readinessMarkdown(report),
  };
}
