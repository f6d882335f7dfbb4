import * as vscode from 'vscode';
import type { RouteDto, RoutesRequest } from '../../../server/src/protocol';
import { openCommand, shortLocation } from './locations';

type AuthStatus = RouteDto['auth'];

/** Order and wording of the groups: what needs attention first; an icon and words, never colour alone. */
const GROUPS: { status: AuthStatus; label: string; icon: string; color?: string }[] = [
  { status: 'unauthenticated', label: 'No authentication', icon: 'unlock', color: 'problemsWarningIcon.foreground' },
  { status: 'unknown', label: 'Cannot tell', icon: 'question' },
  { status: 'authenticated', label: 'Authenticated', icon: 'lock' },
  { status: 'public', label: 'Public on purpose', icon: 'globe' },
];

type Node = { kind: 'group'; status: AuthStatus; routes: RouteDto[] } | { kind: 'route'; route: RouteDto } | { kind: 'evidence'; route: RouteDto; index: number } | { kind: 'message'; text: string };

/**
 * The Routes view: every HTTP route and server action of the workspace, grouped by auth
 * status, routes that change data first; each opens where it is declared, and expands to
 * the evidence for its status.
 */
export class RoutesView implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private result: RoutesRequest.Result | undefined;

  constructor(private readonly fetch: () => Promise<RoutesRequest.Result | undefined>) {}

  async refresh(): Promise<void> {
    this.result = await this.fetch();
    this.changed.fire(undefined);
  }

  /** Routes by status, for the status bar and tests. */
  get routes(): readonly RouteDto[] {
    return this.result?.routes ?? [];
  }

  getChildren(node?: Node): Node[] {
    if (!node) {
      if (!this.result) return [{ kind: 'message', text: 'Analysing the workspace…' }];
      if (this.result.routes.length === 0) return this.result.complete ? [] : [{ kind: 'message', text: 'Analysing the workspace…' }];
      return GROUPS.map((group) => ({ kind: 'group' as const, status: group.status, routes: this.result!.routes.filter((route) => route.auth === group.status) }))
        .filter((group) => group.routes.length > 0);
    }
    if (node.kind === 'group') {
      return [...node.routes]
        .sort((a, b) => Number(b.stateChanging) - Number(a.stateChanging) || a.path.localeCompare(b.path) || a.method.localeCompare(b.method))
        .map((route) => ({ kind: 'route' as const, route }));
    }
    if (node.kind === 'route') return node.route.evidence.map((_, index) => ({ kind: 'evidence' as const, route: node.route, index }));
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'message':
        return new vscode.TreeItem(node.text);
      case 'group': {
        const group = GROUPS.find((candidate) => candidate.status === node.status)!;
        const writes = node.routes.filter((route) => route.stateChanging).length;
        const item = new vscode.TreeItem(`${group.label} (${node.routes.length})`, node.status === 'unauthenticated' || node.status === 'unknown' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        item.iconPath = new vscode.ThemeIcon(group.icon, group.color ? new vscode.ThemeColor(group.color) : undefined);
        if (node.status === 'unauthenticated') item.description = `${writes} change data`;
        item.contextValue = `routeGroup.${node.status}`;
        item.id = `group:${node.status}`;
        return item;
      }
      case 'route': {
        const { route } = node;
        const label = route.method === 'ACTION' ? `server action ${route.path}` : `${route.method} ${route.path}`;
        const item = new vscode.TreeItem(label, route.evidence.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        item.description = `${route.framework} · ${shortLocation(route.uri, route.range)}`;
        const danger = route.auth === 'unauthenticated' && route.stateChanging;
        item.iconPath = new vscode.ThemeIcon(danger ? 'warning' : route.stateChanging ? 'edit' : 'eye', danger ? new vscode.ThemeColor('problemsWarningIcon.foreground') : undefined);
        item.tooltip = new vscode.MarkdownString([
          `**${label}** — ${statusWords(route)}`,
          ...route.evidence.map((evidence) => `- ${evidence.description} (${shortLocation(evidence.uri, evidence.range)})`),
          danger ? '\nAnyone on the internet can call this route. Use the quick fix on the warning to require your auth check, or mark it public with a reason.' : '',
        ].join('\n'));
        item.command = openCommand(route.uri, route.range, 'Open route');
        item.contextValue = danger ? 'route.unprotectedWrite' : 'route';
        item.id = `route:${route.uri}:${route.range.start.line}:${route.method}:${route.path}`;
        return item;
      }
      case 'evidence': {
        const evidence = node.route.evidence[node.index];
        const item = new vscode.TreeItem(evidence.description);
        item.description = shortLocation(evidence.uri, evidence.range);
        item.iconPath = new vscode.ThemeIcon('info');
        item.command = openCommand(evidence.uri, evidence.range, 'Open evidence');
        return item;
      }
    }
  }
}

function statusWords(route: RouteDto): string {
  switch (route.auth) {
    case 'authenticated':
      return 'requires authentication';
    case 'public':
      return 'public on purpose';
    case 'unknown':
      return 'cannot tell whether it requires authentication';
    default:
      return route.stateChanging ? 'changes data and requires no authentication' : 'requires no authentication (read-only)';
  }
}
