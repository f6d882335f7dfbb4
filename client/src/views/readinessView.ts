import * as vscode from 'vscode';
import type { CheckDto, ReadinessDto, ReadinessRequest, ReadinessUnitDto } from '../../../server/src/protocol';
import { openCommand, shortLocation, toRange } from './locations';

const LEVEL_WORDS: Record<ReadinessDto['level'], string> = { none: 'No level yet', bronze: 'Bronze', silver: 'Silver', gold: 'Gold' };
const LEVEL_ICON: Record<ReadinessDto['level'], string> = { none: 'circle-large-outline', bronze: 'star-empty', silver: 'star-half', gold: 'star-full' };
const AREA_ICON: Record<string, string> = { security: 'shield', operations: 'pulse', reliability: 'server-environment', data: 'database', maintenance: 'tools' };
const STATUS: Record<CheckDto['status'], { word: string; icon: string; color?: string; order: number }> = {
  fail: { word: 'Fail', icon: 'error', color: 'problemsErrorIcon.foreground', order: 0 },
  unknown: { word: 'Cannot tell', icon: 'question', order: 1 },
  exempt: { word: 'Exempt', icon: 'circle-slash', order: 2 },
  pass: { word: 'Pass', icon: 'pass', color: 'testing.iconPassed', order: 3 },
};

export type ReadinessNode =
  | { kind: 'ladder'; folder: ReadinessDto }
  | { kind: 'blocking'; folder: ReadinessDto; title: string; status: string; unit: string; id: string }
  | { kind: 'unit'; folder: ReadinessDto; unit: ReadinessUnitDto }
  | { kind: 'area'; folder: ReadinessDto; unit: ReadinessUnitDto; area: ReadinessUnitDto['areas'][number] }
  | { kind: 'check'; folder: ReadinessDto; unit: ReadinessUnitDto; check: CheckDto }
  | { kind: 'evidence'; check: CheckDto; index: number }
  | { kind: 'reason'; check: CheckDto }
  | { kind: 'message'; text: string };

/**
 * The Readiness view: the level the workspace holds and what the next one needs, the areas
 * with their scores, every check under its area (failures first) expanding to its evidence.
 * Status is always written in words next to its icon.
 */
export class ReadinessView implements vscode.TreeDataProvider<ReadinessNode> {
  private readonly changed = new vscode.EventEmitter<ReadinessNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private result: ReadinessRequest.Result | undefined;

  constructor(private readonly fetch: () => Promise<ReadinessRequest.Result | undefined>) {}

  async refresh(): Promise<void> {
    this.result = await this.fetch();
    this.changed.fire(undefined);
  }

  get latest(): ReadinessRequest.Result | undefined {
    return this.result;
  }

  getChildren(node?: ReadinessNode): ReadinessNode[] {
    if (!node) {
      if (!this.result || !this.result.complete) return [{ kind: 'message', text: 'Assessing the workspace…' }];
      return this.result.folders.flatMap((folder) => {
        const top: ReadinessNode[] = [{ kind: 'ladder', folder }];
        if (folder.units.length === 1) return [...top, ...areasOf(folder, folder.units[0])];
        return [...top, ...folder.units.map((unit) => ({ kind: 'unit' as const, folder, unit }))];
      });
    }
    switch (node.kind) {
      case 'ladder':
        return [...(node.folder.nextLevel?.blocking ?? []), ...(node.folder.nextLevel?.toConfirm ?? [])].map((item) => ({ kind: 'blocking' as const, folder: node.folder, ...item }));
      case 'unit':
        return areasOf(node.folder, node.unit);
      case 'area':
        return node.unit.checks
          .filter((check) => check.area === node.area.area && check.applicable)
          .sort((a, b) => STATUS[a.status].order - STATUS[b.status].order || a.title.localeCompare(b.title))
          .map((check) => ({ kind: 'check' as const, folder: node.folder, unit: node.unit, check }));
      case 'check':
        if (node.check.evidence.length) return node.check.evidence.map((_, index) => ({ kind: 'evidence' as const, check: node.check, index }));
        return node.check.reason ? [{ kind: 'reason', check: node.check }] : [];
      default:
        return [];
    }
  }

  getTreeItem(node: ReadinessNode): vscode.TreeItem {
    switch (node.kind) {
      case 'message':
        return new vscode.TreeItem(node.text);
      case 'ladder': {
        const { folder } = node;
        const item = new vscode.TreeItem(`Level: ${LEVEL_WORDS[folder.level]}`, folder.nextLevel ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon(LEVEL_ICON[folder.level]);
        if (folder.nextLevel) {
          const blocking = folder.nextLevel.blocking.length;
          item.description = `next: ${LEVEL_WORDS[folder.nextLevel.level]} needs ${blocking} fix${blocking === 1 ? '' : 'es'}`;
        } else {
          item.description = 'every check passes';
        }
        item.tooltip = new vscode.MarkdownString('**Bronze**: no exploitable security problems. **Silver**: operations basics (logging, error tracking, health endpoint, graceful shutdown, CI, lockfile, update bot, migrations). **Gold**: backups with a tested restore, rollback, runbook, redundancy, alerting.');
        item.id = `ladder:${folder.root}`;
        item.contextValue = 'readinessLadder';
        return item;
      }
      case 'blocking': {
        const status = STATUS[node.status as CheckDto['status']] ?? STATUS.fail;
        const item = new vscode.TreeItem(node.title);
        item.description = `${status.word}${node.folder.units.length > 1 ? ` · ${node.unit}` : ''}`;
        item.iconPath = new vscode.ThemeIcon(status.icon, status.color ? new vscode.ThemeColor(status.color) : undefined);
        const check = node.folder.units.find((unit) => unit.path === node.unit || unit.name === node.unit)?.checks.find((candidate) => candidate.id === node.id) ?? node.folder.units.flatMap((unit) => unit.checks).find((candidate) => candidate.id === node.id);
        if (check) {
          item.tooltip = remediationTooltip(check);
          if (check.evidence[0]) item.command = openCommand(check.evidence[0].uri, check.evidence[0].range, 'Open evidence');
        }
        return item;
      }
      case 'unit': {
        const item = new vscode.TreeItem(node.unit.name, vscode.TreeItemCollapsibleState.Collapsed);
        item.description = `${node.unit.path} · ${node.unit.kind} · ${LEVEL_WORDS[node.unit.level]}`;
        item.iconPath = new vscode.ThemeIcon('package');
        item.id = `unit:${node.unit.uri}`;
        return item;
      }
      case 'area': {
        const { area } = node;
        const label = `${capitalise(area.area)}${area.score === undefined ? '' : ` ${area.score}/10`}`;
        const item = new vscode.TreeItem(label, area.failed > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        item.description = [area.failed ? `${area.failed} failing` : '', area.unknown ? `${area.unknown} cannot tell` : '', area.exempt ? `${area.exempt} exempt` : '', area.passed ? `${area.passed} passing` : ''].filter(Boolean).join(' · ');
        item.iconPath = new vscode.ThemeIcon(AREA_ICON[area.area] ?? 'checklist');
        item.id = `area:${node.unit.uri}:${area.area}`;
        return item;
      }
      case 'check': {
        const { check } = node;
        const status = STATUS[check.status];
        const item = new vscode.TreeItem(check.title, check.evidence.length || check.reason ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        item.description = `${status.word} · ${check.level} · ${check.effort}${check.exemption ? ` · ${check.exemption.expired ? 'exemption expired' : 'exempt'}` : ''}`;
        item.iconPath = new vscode.ThemeIcon(status.icon, status.color ? new vscode.ThemeColor(status.color) : undefined);
        item.tooltip = remediationTooltip(check);
        item.contextValue = `readinessCheck.${check.status}`;
        item.id = `check:${node.unit.uri}:${check.id}`;
        return item;
      }
      case 'evidence': {
        const evidence = node.check.evidence[node.index];
        const item = new vscode.TreeItem(evidence.description);
        item.description = shortLocation(evidence.uri, evidence.range);
        item.iconPath = new vscode.ThemeIcon('location');
        item.command = openCommand(evidence.uri, evidence.range, 'Open evidence');
        item.tooltip = `${shortLocation(evidence.uri, evidence.range)}: ${evidence.description}`;
        return item;
      }
      case 'reason': {
        const item = new vscode.TreeItem(node.check.reason ?? '');
        item.iconPath = new vscode.ThemeIcon('info');
        item.tooltip = node.check.reason;
        return item;
      }
    }
  }
}

function areasOf(folder: ReadinessDto, unit: ReadinessUnitDto): ReadinessNode[] {
  return unit.areas.map((area) => ({ kind: 'area' as const, folder, unit, area }));
}

function remediationTooltip(check: CheckDto): vscode.MarkdownString {
  const tooltip = new vscode.MarkdownString(`**${check.title}** — ${STATUS[check.status].word} (${check.level}, ${check.severity}, effort: ${check.effort})\n\n${check.reason ? `${check.reason}\n\n` : ''}${check.remediation}\n\n[Learn more](${check.docs})${check.exemption ? `\n\nExempt: ${check.exemption.reason}${check.exemption.expires ? ` (until ${check.exemption.expires})` : ''}` : ''}`);
  tooltip.isTrusted = false;
  return tooltip;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export { toRange };
