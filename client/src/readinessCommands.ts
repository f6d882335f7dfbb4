import * as vscode from 'vscode';
import { applyEdits, modify, parse } from 'jsonc-parser';
import type { CheckDto } from '../../server/src/protocol';
import type { ReadinessNode } from './views/readinessView';

/** "Learn more" on a check: its documentation page. */
export async function learnMore(node: ReadinessNode | undefined): Promise<void> {
  if (node?.kind !== 'check') return;
  await vscode.env.openExternal(vscode.Uri.parse(node.check.docs));
}

/**
 * "Exempt this check": asks why (required) and until when (optional), and records it in the
 * workspace's .shipshape.json, keeping the file's comments and formatting.
 */
export async function exemptCheck(node: ReadinessNode | undefined, ask: { reason(check: CheckDto): Thenable<string | undefined>; expires(): Thenable<string | undefined> } = defaultQuestions): Promise<boolean> {
  if (node?.kind !== 'check') return false;
  const reason = (await ask.reason(node.check))?.trim();
  if (!reason) return false;
  const expires = (await ask.expires())?.trim();
  const folder = vscode.Uri.parse(node.folder.root);
  const configUri = vscode.Uri.joinPath(folder, '.shipshape.json');
  let text = '{\n}\n';
  try {
    text = new TextDecoder().decode(await vscode.workspace.fs.readFile(configUri));
  } catch {
    // No config yet: start one.
  }
  const current = parse(text) as { exemptions?: unknown[] } | undefined;
  const exemption: Record<string, string> = { check: node.check.id, reason };
  if (node.unit.path !== '.' && node.check.scope === 'unit') exemption.path = `${node.unit.path}/**`;
  if (expires) exemption.expires = expires;
  const index = Array.isArray(current?.exemptions) ? current!.exemptions.length : undefined;
  const edits = index === undefined
    ? modify(text, ['exemptions'], [exemption], { formattingOptions: { insertSpaces: true, tabSize: 2 } })
    : modify(text, ['exemptions', index], exemption, { formattingOptions: { insertSpaces: true, tabSize: 2 }, isArrayInsertion: true });
  await vscode.workspace.fs.writeFile(configUri, new TextEncoder().encode(applyEdits(text, edits)));
  return true;
}

const defaultQuestions = {
  reason: (check: CheckDto) => vscode.window.showInputBox({
    title: `Exempt "${check.title}"`,
    prompt: 'Why is this acceptable for this project? (recorded in .shipshape.json)',
    placeHolder: 'e.g. backups are managed by our database host; see the runbook',
    validateInput: (value) => (value.trim().length < 5 ? 'Give a reason of a few words.' : undefined),
    ignoreFocusOut: true,
  }),
  expires: () => vscode.window.showInputBox({
    title: 'Until when? (optional)',
    prompt: 'A date (YYYY-MM-DD) after which the check counts again; leave empty for no end date.',
    validateInput: (value) => (value.trim() === '' || (/^\d{4}-\d{2}-\d{2}$/.test(value.trim()) && !Number.isNaN(Date.parse(value.trim()))) ? undefined : 'Use the form 2027-01-31, or leave it empty.'),
    ignoreFocusOut: true,
  }),
};

/** The readiness report as a Markdown document, opened beside its preview. */
export async function openReport(markdown: string | undefined): Promise<vscode.TextDocument | undefined> {
  if (!markdown) {
    void vscode.window.showInformationMessage('Shipshape is still assessing the workspace; try again in a moment.');
    return undefined;
  }
  const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
  await vscode.window.showTextDocument(document, { preview: false });
  // Without an argument the preview follows the active editor (an untitled document has no file to resolve).
  await vscode.commands.executeCommand('markdown.showPreviewToSide').then(undefined, () => undefined);
  return document;
}
