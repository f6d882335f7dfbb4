import * as path from 'node:path';
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DiagnosticSeverity,
  FileChangeType,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { findRulesDirectory } from './engine/secrets/loadSecretRules';
import type { Finding } from './engine/types';
import { ruleDocsUrl } from './engine/ruleCatalog';
import { SettingsCache } from './settings';
import { ValidationScheduler } from './validation/scheduler';
import { WorkspaceModel, CONFIG_FILE, IGNORE_FILE } from './workspace/workspaceModel';
import { GitHistory } from './workspace/gitHistory';
import { projectRootOf } from './workspace/projectRoot';
import { FrontendProjects } from './workspace/frontendProjects';
import { toDiagnostic } from './diagnostics';
import { provideCodeActions, type StoredResult } from './codeActions/codeActionProvider';
import { DocumentAccess, fsPathOf, uriOf } from './codeActions/documentAccess';
import { ClientCommands, ServerCommands, WorkspaceTrustNotification, type InitializationOptions } from './protocol';

export interface ServerRuntime {
  /** A folder at or below the package root, from which rules/ is found. */
  rulesDirectoryHint: string;
}

/**
 * Wires the LSP connection to the engine: documents in, diagnostics and code actions out.
 * Every handler is guarded so that nothing a user types can crash the server.
 */
export function startServer(connection: Connection, runtime: ServerRuntime): void {
  const documents = new TextDocuments(TextDocument);
  const files = new DocumentAccess(documents);
  const results = new Map<string, StoredResult>();
  const git = new GitHistory();
  const frontends = new FrontendProjects((file) => files.read(file)?.text);
  let clientPullsConfiguration = false;
  let clientWatchesConfiguration = false;
  let clientCommands: string[] = [];
  let model: WorkspaceModel;

  const settings = new SettingsCache(connection, () => clientPullsConfiguration);
  const retried = new Set<string>();
  const scheduler = new ValidationScheduler(validate, (uri, error) => {
    connection.console.error(`Shipshape: analysing ${uri} failed: ${describe(error)}`);
    // One retry per document version: a transient failure should not leave stale squiggles.
    const document = documents.get(uri);
    const key = `${uri}@${document?.version}`;
    if (document && !retried.has(key)) {
      retried.add(key);
      scheduler.schedule(uri, 500);
    }
  });

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const options = (params.initializationOptions ?? {}) as Partial<InitializationOptions>;
    clientPullsConfiguration = params.capabilities.workspace?.configuration === true;
    clientWatchesConfiguration = params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    clientCommands = options.clientCommands ?? [];
    model = new WorkspaceModel(findRulesDirectory(runtime.rulesDirectoryHint), options.workspaceTrusted ?? true, (file) => files.read(file)?.text);
    model.setFolders(workspaceRoots(params));
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix], resolveProvider: false },
        executeCommandProvider: { commands: [ServerCommands.explain] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'Shipshape', version: '0.1.0' },
    };
  });

  connection.onInitialized(() => {
    if (clientWatchesConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'shipshape' });
    if (model.roots.length > 0) {
      connection.workspace.onDidChangeWorkspaceFolders(guard('workspace folders', () => {
        void connection.workspace.getWorkspaceFolders().then((folders) => {
          model.setFolders((folders ?? []).map((folder) => fsPathOf(folder.uri)).filter((root): root is string => !!root));
          revalidateAll();
        });
      }));
    }
    publishConfigProblems();
  });

  connection.onDidChangeConfiguration(guard('configuration change', () => {
    settings.clear();
    revalidateAll();
  }));

  connection.onNotification(WorkspaceTrustNotification.method, guard('workspace trust', (params: WorkspaceTrustNotification.Params) => {
    model.setTrusted(params.trusted === true);
    revalidateAll();
  }));

  connection.onDidChangeWatchedFiles(guard('file changes', (params) => {
    let reload = false;
    for (const change of params.changes) {
      const file = fsPathOf(change.uri);
      if (!file) continue;
      const base = path.basename(file);
      if (base === CONFIG_FILE || base === IGNORE_FILE) reload = true;
      if (base === 'package.json') frontends.clear();
      if (change.type === FileChangeType.Deleted) results.delete(change.uri);
    }
    if (reload) reloadConfiguration();
  }));

  documents.onDidOpen(guard('open', (event) => scheduleFor(event.document, 0)));
  documents.onDidChangeContent(guard('change', (event) => {
    if (isConfigDocument(event.document.uri)) reloadConfiguration();
    else void settings.get(event.document.uri).then((current) => scheduleFor(event.document, current.debounce));
  }));
  documents.onDidClose(guard('close', (event) => {
    const uri = event.document.uri;
    scheduler.cancel(uri);
    results.delete(uri);
    settings.forget(uri);
    if (!isConfigDocument(uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
  }));

  connection.onCodeAction(guard('code actions', (params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return [];
    return provideCodeActions(params, document, {
      files,
      resultFor: (uri) => results.get(uri),
      fsPathOf,
      projectRootOf: (file) => projectRootOf(file, model.folderOf(file)),
      clientCanPlaceCursor: clientCommands.includes(ClientCommands.placeCursor),
    });
  }, []));

  connection.onExecuteCommand(guard('command', async (params) => {
    if (params.command === ServerCommands.explain && typeof params.arguments?.[0] === 'string') {
      await connection.window.showInformationMessage(params.arguments[0]);
    }
  }));

  connection.onShutdown(() => scheduler.dispose());

  documents.listen(connection);
  connection.listen();

  function scheduleFor(document: TextDocument, delay: number): void {
    if (isConfigDocument(document.uri)) {
      publishConfigProblems();
      return;
    }
    scheduler.schedule(document.uri, delay);
  }

  async function validate(uri: string, signal: AbortSignal): Promise<void> {
    const document = documents.get(uri);
    if (!document) return;
    const version = document.version;
    const current = await settings.get(uri);
    if (signal.aborted || documents.get(uri)?.version !== version) return;
    const fsPath = fsPathOf(uri);
    if (!current.enable || (fsPath && model.isIgnored(fsPath, current))) {
      results.delete(uri);
      await connection.sendDiagnostics({ uri, version, diagnostics: [] });
      return;
    }

    const analyzer = model.analyzerFor(fsPath ?? uri, current);
    const projectRoot = fsPath ? projectRootOf(fsPath, model.folderOf(fsPath)) : undefined;
    const result = analyzer.analyzeFile({
      path: fsPath ? model.relativePath(fsPath) : uri,
      text: document.getText(),
      languageId: document.languageId,
      browserOnlyProject: fsPath && projectRoot ? frontends.reasonFor(fsPath, projectRoot) : undefined,
    });
    const visible = result.findings.filter((finding) => !finding.suppression);
    if (fsPath) await markCommittedSecrets(fsPath, document, visible);
    if (signal.aborted || documents.get(uri)?.version !== version) return;

    results.set(uri, { version, findings: visible });
    await connection.sendDiagnostics({
      uri,
      version,
      diagnostics: visible.map((finding, index) => toDiagnostic(finding, { version, index }, (file) => uriOf(path.resolve(model.folderOf(fsPath ?? '') ?? '', file)))),
    });
  }

  /** A secret that is already in the last commit stays in history: say so, and say to rotate it. */
  async function markCommittedSecrets(fsPath: string, document: TextDocument, findings: Finding[]): Promise<void> {
    const secrets = findings.filter((finding) => finding.category === 'secret');
    if (secrets.length === 0) return;
    const text = document.getText();
    const committed = await git.isInHead(fsPath, secrets.map((finding) => text.slice(finding.startOffset, finding.endOffset)));
    secrets.forEach((finding, index) => {
      if (!committed[index]) return;
      const rotate = finding.properties?.rotateUrl;
      finding.message += ` It is already in a git commit, so deleting it here does not un-leak it: rotate the key${rotate ? ` at ${rotate}` : ' with its provider'}.`;
      finding.properties = { ...finding.properties, committed: true };
    });
  }

  function reloadConfiguration(): void {
    for (const root of model.roots) model.reload(root);
    publishConfigProblems();
    revalidateAll();
  }

  function publishConfigProblems(): void {
    for (const root of model.roots) {
      const uri = uriOf(path.join(root, CONFIG_FILE));
      const text = files.read(path.join(root, CONFIG_FILE))?.text ?? '';
      const positions = TextDocument.create(uri, 'json', 0, text);
      const diagnostics: Diagnostic[] = model.problemsOf(root).map((problem) => ({
        range: { start: positions.positionAt(problem.start), end: positions.positionAt(problem.end) },
        severity: problem.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
        source: 'Shipshape',
        code: 'config/invalid-config',
        codeDescription: { href: ruleDocsUrl('config/invalid-config') },
        message: problem.message,
      }));
      void connection.sendDiagnostics({ uri, diagnostics });
    }
  }

  function revalidateAll(): void {
    for (const document of documents.all()) scheduleFor(document, 0);
  }

  function isConfigDocument(uri: string): boolean {
    return uri.endsWith(`/${CONFIG_FILE}`);
  }

  /** Runs a handler so that an exception is logged instead of taking the server down. */
  function guard<P extends unknown[], R>(what: string, handler: (...args: P) => R, fallback?: Awaited<R>): (...args: P) => R {
    return (...args: P): R => {
      try {
        const value = handler(...args);
        if (value instanceof Promise) {
          return value.catch((error: unknown) => {
            connection.console.error(`Shipshape: ${what} failed: ${describe(error)}`);
            return fallback;
          }) as R;
        }
        return value;
      } catch (error) {
        connection.console.error(`Shipshape: ${what} failed: ${describe(error)}`);
        return fallback as R;
      }
    };
  }
}

function workspaceRoots(params: InitializeParams): string[] {
  const folders = params.workspaceFolders?.map((folder) => fsPathOf(folder.uri)) ?? [];
  // rootUri is deprecated, but some clients still send only that.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  if (folders.length === 0 && params.rootUri) folders.push(fsPathOf(params.rootUri));
  return folders.filter((root): root is string => !!root);
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
}
