// Helpers for integration tests. They run inside VS Code's extension host, next to the
// extension under test, and wait by polling with a timeout, never by sleeping.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

// The screenshot protocol with test/integration/runner/runSuite.mjs: the test logs
// `SHIPSHAPE_SCREENSHOT <name>` (the extension host's console reaches the runner through the
// workbench), the runner takes the picture and writes <name>.json, holding { path } or
// { error }, into the folder named by this variable.
const ACK_DIR_ENV = 'SHIPSHAPE_SCREENSHOT_ACKS';
const SCREENSHOT_REQUEST = 'SHIPSHAPE_SCREENSHOT';

/**
 * Polls `probe` every 50 ms until it returns something other than undefined, and returns
 * that. Fails after `timeoutMs`, naming `what` and the last value (or error) seen.
 */
export async function waitFor<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = 'nothing yet';
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
      last = 'undefined';
    } catch (error) {
      last = `error: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (Date.now() >= deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; last: ${last}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Waits until the diagnostics of `uri` satisfy `predicate`, and returns them.
 * The failure message lists the diagnostics last seen.
 */
export async function waitForDiagnostics(
  uri: vscode.Uri,
  predicate: (diagnostics: vscode.Diagnostic[]) => boolean,
  timeoutMs = 20_000,
): Promise<vscode.Diagnostic[]> {
  let seen: vscode.Diagnostic[] = [];
  try {
    return await waitFor(() => {
      seen = vscode.languages.getDiagnostics(uri);
      return predicate(seen) ? seen : undefined;
    }, `the expected diagnostics on ${vscode.workspace.asRelativePath(uri)}`, timeoutMs);
  } catch (error) {
    const list = seen.map((d) => `  ${JSON.stringify(compactRange(d.range))} ${d.source ?? ''}/${String(d.code ?? '')}: ${d.message}`);
    throw new Error(`${(error as Error).message}\nDiagnostics last seen (${seen.length}):\n${list.join('\n')}`);
  }
}

/** The Uri of `relPath` ('src/app.ts') in the first workspace folder. */
export function workspaceFile(relPath: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('No workspace folder is open; check the suite\'s suite.json');
  return vscode.Uri.joinPath(folder.uri, ...relPath.split('/'));
}

/** The text of a workspace file as it is on disk (not an open editor's unsaved text). */
export async function readWorkspaceFile(relPath: string): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(workspaceFile(relPath)));
}

/** Opens a workspace file in an editor and makes it the active one. */
export async function openFile(relPath: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(workspaceFile(relPath));
  return vscode.window.showTextDocument(document);
}

/** A range as [startLine, startCharacter, endLine, endCharacter], easy to compare and read. */
export function compactRange(range: vscode.Range): [number, number, number, number] {
  return [range.start.line, range.start.character, range.end.line, range.end.character];
}

/**
 * Asks the runner for a screenshot of the whole VS Code window and waits until it is on
 * disk. Returns the PNG's path (test/out/screenshots/<name>.png), or '' when no runner
 * takes screenshots (desktop VS Code through @vscode/test-electron). `waitForSelector` makes the
 * runner wait until that element of the workbench is visible (a menu or hover opening).
 */
export async function takeScreenshot(name: string, options: { waitForSelector?: string; timeoutMs?: number } = {}): Promise<string> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  if (!/^[\w.-]+$/.test(name)) throw new Error(`Screenshot name "${name}" may only use letters, digits, '.', '_' and '-'`);
  const ackDir = process.env[ACK_DIR_ENV];
  if (!ackDir) return '';
  const ack = path.join(ackDir, `${name}.json`);
  fs.rmSync(ack, { force: true }); // an answer to an earlier request of the same name
  console.log(`${SCREENSHOT_REQUEST} ${name}${options.waitForSelector ? ` ${options.waitForSelector}` : ''}`);
  const answer = await waitFor(
    () => (fs.existsSync(ack) ? (JSON.parse(fs.readFileSync(ack, 'utf8')) as { path?: string; error?: string }) : undefined),
    `the runner to take screenshot "${name}"`,
    timeoutMs,
  );
  if (!answer.path) throw new Error(answer.error ?? `the runner did not take screenshot "${name}"`);
  return answer.path;
}

