import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { RestartingErrorHandler } from './serverErrorHandler';
import {
  ClientCommands,
  ReadinessRequest,
  RefreshRequest,
  RoutesRequest,
  WorkspaceChangedNotification,
  WorkspaceFindingsRequest,
  WorkspaceTrustNotification,
  DEFAULT_SERVER_MAX_MEMORY_MB,
  serverNodeFlags,
  type InitializationOptions,
} from '../../server/src/protocol';
import { RoutesView } from './views/routesView';
import { FindingsView } from './views/findingsView';
import { ReadinessView } from './views/readinessView';
import { ReadinessStatusBar } from './statusBar';
import { exemptCheck, learnMore, openReport } from './readinessCommands';

let client: LanguageClient | undefined;

/** What the extension exposes to its integration tests (and to other extensions). */
export interface ShipshapeApi {
  client: LanguageClient;
  routes: RoutesView;
  findings: FindingsView;
  readiness: ReadinessView;
  statusBar: ReadinessStatusBar;
  /** Refreshes every view from the server. */
  refresh(): Promise<void>;
}

export async function activate(context: vscode.ExtensionContext): Promise<ShipshapeApi> {
  const serverModule = context.asAbsolutePath(path.join('server', 'out', 'server.js'));
  const nodeFlags = serverNodeFlags(vscode.workspace.getConfiguration('shipshape').get<number>('server.maxMemory', DEFAULT_SERVER_MAX_MEMORY_MB));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.stdio, options: { execArgv: nodeFlags } },
    debug: { module: serverModule, transport: TransportKind.stdio, options: { execArgv: [...nodeFlags, '--nolazy', '--inspect=6019'] } },
  };
  const initializationOptions: InitializationOptions = {
    workspaceTrusted: vscode.workspace.isTrusted,
    clientCommands: [ClientCommands.placeCursor],
    storagePath: context.globalStorageUri.fsPath,
  };
  const clientOptions: LanguageClientOptions = {
    // Secrets can be in any text file, so every file-backed or untitled document is analysed.
    documentSelector: [{ scheme: 'file' }, { scheme: 'untitled' }],
    synchronize: {
      // Every file: the workspace index (routes, findings, readiness) follows changes made outside the editor.
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*'),
    },
    initializationOptions,
    diagnosticCollectionName: 'shipshape',
    errorHandler: new RestartingErrorHandler('Shipshape'),
  };

  const languageClient = new LanguageClient('shipshape', 'Shipshape', serverOptions, clientOptions);
  client = languageClient;

  const request = async <T>(method: string): Promise<T | undefined> => {
    if (!languageClient.isRunning()) return undefined;
    try {
      return await languageClient.sendRequest<T>(method);
    } catch {
      return undefined;
    }
  };
  const routes = new RoutesView(() => request<RoutesRequest.Result>(RoutesRequest.method));
  const findings = new FindingsView(() => request<WorkspaceFindingsRequest.Result>(WorkspaceFindingsRequest.method));
  const readiness = new ReadinessView(() => request<ReadinessRequest.Result>(ReadinessRequest.method));
  const statusBar = new ReadinessStatusBar();
  const refresh = async () => {
    await Promise.all([routes.refresh(), findings.refresh(), readiness.refresh()]);
    statusBar.show(readiness.latest);
  };

  context.subscriptions.push(
    statusBar,
    vscode.window.createTreeView('shipshape.readiness', { treeDataProvider: readiness, showCollapseAll: true }),
    vscode.window.createTreeView('shipshape.findings', { treeDataProvider: findings, showCollapseAll: true }),
    vscode.window.createTreeView('shipshape.routes', { treeDataProvider: routes, showCollapseAll: true }),
    vscode.commands.registerCommand('shipshape.refresh', async () => {
      await vscode.window.withProgress({ location: { viewId: 'shipshape.readiness' }, title: 'Analysing the workspace' }, async () => {
        if (languageClient.isRunning()) await languageClient.sendRequest(RefreshRequest.method).then(undefined, () => undefined);
        await refresh();
      });
    }),
    vscode.commands.registerCommand('shipshape.openReport', async () => openReport(readiness.latest?.folders.map((folder) => folder.markdown).join('\n\n---\n\n'))),
    vscode.commands.registerCommand('shipshape.exemptCheck', async (node) => {
      if (await exemptCheck(node)) void vscode.window.showInformationMessage('Exemption recorded in .shipshape.json; the check now shows as exempt.');
    }),
    vscode.commands.registerCommand('shipshape.learnMore', learnMore),
    vscode.commands.registerCommand('shipshape.showSidebar', () => vscode.commands.executeCommand('workbench.view.extension.shipshape')),
    vscode.commands.registerCommand(ClientCommands.placeCursor, (uri: string, line: number, character: number) => placeCursor(uri, line, character)),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      void client?.sendNotification(WorkspaceTrustNotification.method, { trusted: true } satisfies WorkspaceTrustNotification.Params);
    }),
  );

  await languageClient.start();
  context.subscriptions.push(languageClient.onNotification(WorkspaceChangedNotification.method, () => void refresh()));
  void refresh();
  return { client: languageClient, routes, findings, readiness, statusBar, refresh };
}

/** After "Ignore with a reason" inserts its comment, the cursor goes where the reason is typed. */
async function placeCursor(uri: string, line: number, character: number): Promise<void> {
  const editor = vscode.window.visibleTextEditors.find((candidate) => candidate.document.uri.toString() === uri)
    ?? (await vscode.window.showTextDocument(vscode.Uri.parse(uri)));
  const position = new vscode.Position(line, character);
  editor.selection = new vscode.Selection(position, position);
  editor.revealRange(new vscode.Range(position, position));
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
