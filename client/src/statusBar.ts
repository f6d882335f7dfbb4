import * as vscode from 'vscode';
import type { ReadinessRequest } from '../../server/src/protocol';

const LEVEL_WORDS = { none: 'no level yet', bronze: 'Bronze', silver: 'Silver', gold: 'Gold' } as const;

/** The readiness level and the count of Error findings, always visible; a click opens the sidebar. */
export class ReadinessStatusBar implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('shipshape.status', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = 'Shipshape readiness';
    this.item.command = 'shipshape.showSidebar';
    this.item.text = '$(loading~spin) Shipshape';
    this.item.tooltip = 'Shipshape is analysing the workspace';
    this.item.show();
  }

  show(result: ReadinessRequest.Result | undefined): void {
    if (!result?.complete || result.folders.length === 0) return;
    const levels = result.folders.map((folder) => folder.level);
    const lowest = (['none', 'bronze', 'silver', 'gold'] as const).find((level) => levels.includes(level)) ?? 'none';
    const errors = result.errorFindings;
    this.item.text = `$(shield) Shipshape: ${LEVEL_WORDS[lowest]} · $(error) ${errors}`;
    const next = result.folders[0].nextLevel;
    this.item.tooltip = new vscode.MarkdownString(`**Readiness: ${LEVEL_WORDS[lowest]}**${next ? ` — ${LEVEL_WORDS[next.level]} needs ${next.blocking.length} more fix${next.blocking.length === 1 ? '' : 'es'}` : ''}\n\n${errors} error finding${errors === 1 ? '' : 's'} (exposed secrets, unprotected writes, injection).\n\nClick to open the Shipshape sidebar.`);
    this.item.accessibilityInformation = { label: `Shipshape readiness ${LEVEL_WORDS[lowest]}, ${errors} errors` };
  }

  dispose(): void {
    this.item.dispose();
  }
}
