import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { ClientCommands, WorkspaceTrustNotification, type InitializationOptions } from '../../server/src/protocol';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath(path.join('server', 'out', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.stdio },
    debug: { module: serverModule, transport: TransportKind.stdio, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const initializationOptions: InitializationOptions = {
    workspaceTrusted: vscode.workspace.isTrusted,
    clientCommands: [ClientCommands.placeCursor],
  };
  const clientOptions: LanguageClientOptions = {
    // Secrets can be in any text file, so every file-backed or untitled document is analysed.
    documentSelector: [{ scheme: 'file' }, { scheme: 'untitled' }],
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher('**/{.shipshape.json,.shipshapeignore,package.json,.gitignore}'),
    },
    initializationOptions,
    diagnosticCollectionName: 'shipshape',
  };

  client = new LanguageClient('shipshape', 'Shipshape', serverOptions, clientOptions);

  context.subscriptions.push(
    vscode.commands.registerCommand(ClientCommands.placeCursor, (uri: string, line: number, character: number) => placeCursor(uri, line, character)),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      void client?.sendNotification(WorkspaceTrustNotification.method, { trusted: true } satisfies WorkspaceTrustNotification.Params);
    }),
  );

  await client.start();
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
