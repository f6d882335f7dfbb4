import * as vscode from 'vscode';
import type { FindingDto, WorkspaceFindingsRequest } from '../../../server/src/protocol';
import { openCommand, shortLocation } from './locations';

const CATEGORIES: { id: string; label: string; icon: string }[] = [
  { id: 'secret', label: 'Secrets', icon: 'key' },
  { id: 'auth', label: 'Authentication', icon: 'shield' },
  { id: 'input', label: 'Unchecked input', icon: 'symbol-variable' },
  { id: 'readiness', label: 'Readiness', icon: 'checklist' },
  { id: 'config', label: 'Configuration', icon: 'gear' },
];

const SEVERITY_ICON: Record<FindingDto['severity'], { icon: string; color: string; word: string }> = {
  error: { icon: 'error', color: 'problemsErrorIcon.foreground', word: 'Error' },
  warning: { icon: 'warning', color: 'problemsWarningIcon.foreground', word: 'Warning' },
  info: { icon: 'info', color: 'problemsInfoIcon.foreground', word: 'Note' },
};

type Node =
  | { kind: 'category'; id: string; findings: FindingDto[] }
  | { kind: 'file'; category: string; uri: string; findings: FindingDto[] }
  | { kind: 'finding'; finding: FindingDto }
  | { kind: 'message'; text: string };

/** The Findings view: every secret, auth and input finding of the workspace, by category then file. */
export class FindingsView implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private result: WorkspaceFindingsRequest.Result | undefined;

  constructor(private readonly fetch: () => Promise<WorkspaceFindingsRequest.Result | undefined>) {}

  async refresh(): Promise<void> {
    this.result = await this.fetch();
    this.changed.fire(undefined);
  }

  get findings(): readonly FindingDto[] {
    return this.result?.findings ?? [];
  }

  getChildren(node?: Node): Node[] {
    if (!node) {
      if (!this.result) return [{ kind: 'message', text: 'Analysing the workspace…' }];
      if (this.result.findings.length === 0) return [{ kind: 'message', text: this.result.complete ? 'No findings. ✔' : 'Analysing the workspace…' }];
      return CATEGORIES.map((category) => ({ kind: 'category' as const, id: category.id, findings: this.result!.findings.filter((finding) => finding.category === category.id) }))
        .filter((category) => category.findings.length > 0);
    }
    if (node.kind === 'category') {
      const byFile = new Map<string, FindingDto[]>();
      for (const finding of node.findings) byFile.set(finding.uri, [...(byFile.get(finding.uri) ?? []), finding]);
      return [...byFile.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([uri, findings]) => ({ kind: 'file' as const, category: node.id, uri, findings }));
    }
    if (node.kind === 'file') {
      return [...node.findings].sort((a, b) => a.range.start.line - b.range.start.line).map((finding) => ({ kind: 'finding' as const, finding }));
    }
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'message':
        return new vscode.TreeItem(node.text);
      case 'category': {
        const category = CATEGORIES.find((candidate) => candidate.id === node.id)!;
        const errors = node.findings.filter((finding) => finding.severity === 'error').length;
        const item = new vscode.TreeItem(`${category.label} (${node.findings.length})`, vscode.TreeItemCollapsibleState.Expanded);
        item.description = errors ? `${errors} error${errors === 1 ? '' : 's'}` : undefined;
        item.iconPath = new vscode.ThemeIcon(category.icon);
        item.id = `category:${node.id}`;
        return item;
      }
      case 'file': {
        const item = new vscode.TreeItem(vscode.Uri.parse(node.uri), vscode.TreeItemCollapsibleState.Expanded);
        item.description = `${node.findings.length}`;
        item.iconPath = vscode.ThemeIcon.File;
        item.id = `file:${node.category}:${node.uri}`;
        return item;
      }
      case 'finding': {
        const { finding } = node;
        const severity = SEVERITY_ICON[finding.severity];
        const item = new vscode.TreeItem(firstSentence(finding.message));
        item.description = `${severity.word} · ${finding.ruleId} · line ${finding.range.start.line + 1}`;
        item.iconPath = new vscode.ThemeIcon(severity.icon, new vscode.ThemeColor(severity.color));
        item.tooltip = new vscode.MarkdownString(`**${severity.word}** ${finding.ruleId} — ${shortLocation(finding.uri, finding.range)}\n\n${finding.message}${finding.docsUrl ? `\n\n[Learn more](${finding.docsUrl})` : ''}`);
        item.command = openCommand(finding.uri, finding.range, 'Open finding');
        item.contextValue = 'finding';
        return item;
      }
    }
  }
}

function firstSentence(message: string): string {
  const end = message.search(/\.\s/);
  return end > 0 && end < 140 ? message.slice(0, end + 1) : message.length > 140 ? `${message.slice(0, 137)}…` : message;
}
