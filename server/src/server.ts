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
import { SHIPSHAPE_VERSION } from './version';
import * as fs from 'node:fs';
import { ValidationScheduler } from './validation/scheduler';
import { WorkspaceModel, CONFIG_FILE, IGNORE_FILE } from './workspace/workspaceModel';
import { GitHistory } from './workspace/gitHistory';
import { projectRootOf } from './workspace/projectRoot';
import { FrontendProjects } from './workspace/frontendProjects';
import { toDiagnostic } from './diagnostics';
import { provideCodeActions } from './codeActions/codeActionProvider';
import { PublishedDiagnostics } from './validation/publishedDiagnostics';
import { DocumentAccess, fsPathOf, uriOf } from './codeActions/documentAccess';
import { viewParametersKey } from './engine/routes/link/viewParameters';
import { ClientCommands, ReadinessRequest, RefreshRequest, RoutesRequest, ServerCommands, ServerStatusRequest, WorkspaceChangedNotification, WorkspaceFindingsRequest, WorkspaceTrustNotification, type InitializationOptions } from './protocol';
import { WorkspaceIndex } from './workspace/workspaceIndex';
import { ReadinessService } from './workspace/readinessService';
import { ParseCache } from './engine/js/parseCache';
import { ModuleSinkCache } from './workspace/moduleSinkCache';
import { describeFailures } from './workspace/workspaceScan';
import { ProjectDependencies } from './workspace/projectDependencies';
import { findingDto, routeDto } from './workspaceDtos';
import { DEFAULT_SETTINGS, type ShipshapeSettings } from './settings';

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
  const published = new PublishedDiagnostics({
    send: (uri, version, findings) => {
      const fsPath = fsPathOf(uri);
      const folder = model.folderOf(fsPath ?? '') ?? '';
      return connection.sendDiagnostics({ uri, version, diagnostics: findings.map((finding, index) => toDiagnostic(finding, { version, index }, (file) => uriOf(path.resolve(folder, file)))) });
    },
    document: (uri) => {
      const document = documents.get(uri);
      return document && { version: document.version, text: document.getText() };
    },
    fileOf: (uri) => {
      const fsPath = fsPathOf(uri);
      return fsPath ? { path: fsPath, relative: model.relativePath(fsPath) } : undefined;
    },
    findingsReaching: (file) => index.findingsReaching(file),
    uriOf,
  });
  /** Parse trees of open documents, so an edit re-parses only the changed region. */
  const parseCache = new ParseCache();
  const git = new GitHistory();
  const frontends = new FrontendProjects((file) => files.read(file)?.text);
  const dependencies = new ProjectDependencies((file) => files.read(file)?.text);
  // Modules handlers pass input to: open documents as typed, other files as on disk.
  const moduleSinks = new ModuleSinkCache({
    stamp(file) {
      const open = documents.get(uriOf(file));
      if (open) return `open ${open.version}`;
      const stat = fs.statSync(file, { throwIfNoEntry: false });
      return stat?.isFile() ? `disk ${stat.mtimeMs} ${stat.size}` : undefined;
    },
    text: (file) => files.read(file)?.text,
    dependencies: (file) => dependencies.of(file, model.folderOf(file)),
  });
  /** Per analysed file (open document URI, or closed file's path): the modules its input analysis read. */
  const importedModuleFiles = new Map<string, Set<string>>();
  let clientPullsConfiguration = false;
  let clientWatchesConfiguration = false;
  let clientCommands: string[] = [];
  let storagePath: string | undefined;
  let model: WorkspaceModel;

  const settings = new SettingsCache(connection, () => clientPullsConfiguration);
  /** Settings of each workspace folder, for the background analysis of files that are not open. */
  const folderSettings = new Map<string, ShipshapeSettings>();
  const index = new WorkspaceIndex({
    analyzerFor: (file) => model.analyzerFor(file, folderSettings.get(model.folderOf(file) ?? '') ?? DEFAULT_SETTINGS),
    dependenciesOf: (file) => dependencies.of(file, model.folderOf(file)),
    configOf: (file) => model.configOf(file),
    isExcluded: (file) => model.isIgnored(file, folderSettings.get(model.folderOf(file) ?? '') ?? DEFAULT_SETTINGS),
    yieldNow: () => new Promise((resolve) => setImmediate(resolve)),
    onProgress: (done, total) => reportIndexProgress(done, total),
    onAnalysisFailure: (file, description) => connection.console.error(`Shipshape: analysis of ${file} failed in part (${description}); the rest of its findings are shown`),
    isOpen: (file) => documents.get(uriOf(file)) !== undefined,
    importedModules: (file, relative, analyzer) => moduleSinks.resolverFor({ path: file, relative }, analyzer, usedBy(file)),
    onReachingChanged: (reached) => published.reachingChanged(reached),
  });
  let indexComplete = false;
  const readiness = new ReadinessService({
    roots: () => (indexComplete ? model.roots : []),
    files: (root) => index.allFilesOf(root),
    read: (root, relative) => files.read(path.join(root, relative))?.text,
    findings: (root) => index.findings().find((entry) => entry.root === root)?.findings ?? [],
    inventory: (root) => index.inventories().find((entry) => entry.root === root)?.inventory,
    config: (root) => model.configOf(path.join(root, CONFIG_FILE)),
    online: (root) => (folderSettings.get(root)?.online ? { enabled: true, ...(storagePath ? { cacheDirectory: storagePath } : {}) } : undefined),
    onError: (error) => connection.console.error(`Shipshape: readiness assessment failed: ${describe(error)}`),
    onAssessed: () => notifyWorkspaceChanged(),
  });
  let reportIndexProgress: (done: number, total: number) => void = () => undefined;
  let changedTimer: ReturnType<typeof setTimeout> | undefined;
  /** Route findings last published per open document, to notice when an edit elsewhere changes them. */
  const routeFindingKeys = new Map<string, string>();
  /** Per open document: the Django URL parameters (viewParametersKey) it was last analysed with. */
  const viewParameterKeys = new Map<string, string>();
  const diskRefreshTimers = new Map<string, ReturnType<typeof setTimeout>>();
  let relinkTimer: ReturnType<typeof setTimeout> | undefined;
  const relinkPending = new Set<string>();
  const retried = new Set<string>();
  const injectedFaults = new Set<string>();
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
    storagePath = options.storagePath;
    model = new WorkspaceModel(findRulesDirectory(runtime.rulesDirectoryHint), options.workspaceTrusted ?? true, (file) => files.read(file)?.text);
    model.setFolders(workspaceRoots(params));
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix], resolveProvider: false },
        executeCommandProvider: { commands: [ServerCommands.explain] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'Shipshape', version: SHIPSHAPE_VERSION },
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
    void rebuildIndex();
  });

  connection.onDidChangeConfiguration(guard('configuration change', () => {
    settings.clear();
    revalidateAll();
    void rebuildIndex();
  }));

  connection.onRequest(RoutesRequest.method, guard('routes request', (): RoutesRequest.Result => ({
    complete: indexComplete,
    routes: index.inventories().flatMap(({ root, inventory }) => inventory.routes.map((route) => routeDto(route, root))),
  })));

  connection.onRequest(ServerStatusRequest.method, (): ServerStatusRequest.Result => ({
    pid: process.pid,
    version: SHIPSHAPE_VERSION,
    uptimeSeconds: Math.round(process.uptime()),
    memoryMb: Math.round(process.memoryUsage().rss / 1024 / 1024),
    openDocuments: documents.all().length,
    workspaceIndexed: indexComplete,
  }));

  connection.onRequest(ReadinessRequest.method, guard('readiness request', (): ReadinessRequest.Result => ({
    complete: readiness.complete,
    folders: readiness.dtos(),
    errorFindings: index.findings().reduce((sum, entry) => sum + entry.findings.filter((finding) => finding.severity === 'error' && finding.category !== 'readiness' && finding.category !== 'config').length, 0),
  })));

  connection.onRequest(RefreshRequest.method, guard('refresh', async () => {
    await rebuildIndex();
    await readiness.refresh();
  }));

  connection.onRequest(WorkspaceFindingsRequest.method, guard('findings request', (): WorkspaceFindingsRequest.Result => ({
    complete: indexComplete,
    findings: index.findings().flatMap(({ root, findings }) => findings.map((finding) => findingDto(finding, root))),
  })));

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
      if (/^(package\.json|requirements\.txt|pyproject\.toml|Pipfile)$/.test(base)) {
        frontends.clear();
        dependencies.forget();
      }
      reanalyseImportersOf(file, true);
      if (change.type === FileChangeType.Deleted) {
        published.delete(change.uri);
        index.removeFile(file);
        relinkOpenDocuments(undefined);
        notifyWorkspaceChanged();
      } else if (!documents.get(change.uri)) {
        refreshFromDiskSoon(file);
      }
    }
    if (reload) {
      reloadConfiguration();
      void rebuildIndex();
    }
    readiness.schedule();
  }));

  documents.onDidOpen(guard('open', (event) => scheduleFor(event.document, 0)));
  documents.onDidChangeContent(guard('change', (event) => {
    if (isConfigDocument(event.document.uri)) reloadConfiguration();
    else void settings.get(event.document.uri).then((current) => scheduleFor(event.document, current.debounce));
    const changed = fsPathOf(event.document.uri);
    if (changed) reanalyseImportersOf(changed, false);
  }));
  documents.onDidSave(guard('save', () => readiness.schedule()));
  documents.onDidClose(guard('close', (event) => {
    const uri = event.document.uri;
    scheduler.cancel(uri);
    published.delete(uri);
    routeFindingKeys.delete(uri);
    viewParameterKeys.delete(uri);
    importedModuleFiles.delete(uri);
    settings.forget(uri);
    const closedPath = fsPathOf(uri);
    parseCache.forget(closedPath ? model.relativePath(closedPath) : uri);
    // Closed unsaved, a module is what the disk holds again for the files that import it.
    if (closedPath) reanalyseImportersOf(closedPath, true);
    if (!isConfigDocument(uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
  }));

  connection.onCodeAction(guard('code actions', (params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return [];
    return provideCodeActions(params, document, {
      files,
      resultFor: (uri) => published.resultFor(uri),
      fsPathOf,
      projectRootOf: (file) => projectRootOf(file, model.folderOf(file)),
      fileNamed: (file, from) => path.resolve(model.folderOf(from) ?? '', file),
      clientCanPlaceCursor: clientCommands.includes(ClientCommands.placeCursor),
    });
  }, []));

  connection.onExecuteCommand(guard('command', async (params) => {
    if (params.command === ServerCommands.explain && typeof params.arguments?.[0] === 'string') {
      await connection.window.showInformationMessage(params.arguments[0]);
    }
  }));

  connection.onShutdown(() => {
    scheduler.dispose();
    published.dispose();
  });

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
      published.delete(uri);
      await connection.sendDiagnostics({ uri, version, diagnostics: [] });
      return;
    }

    injectFault(document);
    const analyzer = model.analyzerFor(fsPath ?? uri, current);
    const projectRoot = fsPath ? projectRootOf(fsPath, model.folderOf(fsPath)) : undefined;
    const routeEntry = fsPath ? index.routesOf(fsPath) : undefined;
    const viewParameters = document.languageId === 'python' ? routeEntry?.routes.recentViewParametersOf(routeEntry.relative, analyzer.config) : undefined;
    let routesChanged = false;
    const imported = fsPath ? { importedModules: moduleSinks.resolverFor({ path: fsPath, relative: model.relativePath(fsPath) }, analyzer, usedBy(uri)) } : {};
    const result = analyzer.analyzeFile({
      path: fsPath ? model.relativePath(fsPath) : uri,
      text: document.getText(),
      languageId: document.languageId,
      browserOnlyProject: fsPath && projectRoot ? frontends.reasonFor(fsPath, projectRoot) : undefined,
      parseCache,
      ...(fsPath ? { dependencies: dependencies.of(fsPath, model.folderOf(fsPath)) } : {}),
      ...(viewParameters ? { viewParameters } : {}),
      ...imported,
      workspaceFindings: (facts) => {
        if (!routeEntry) return [];
        routesChanged = routeEntry.routes.update(routeEntry.relative, facts);
        return routeEntry.routes.findingsFor(routeEntry.relative, analyzer.config);
      },
    });
    if (result.failures) connection.console.error(`Shipshape: analysis of ${uri} failed in part (${describeFailures(result.failures)}); the rest of its findings are shown`);
    const visible = result.findings.filter((finding) => !finding.suppression);
    if (fsPath) await markCommittedSecrets(fsPath, document, visible);
    if (signal.aborted || documents.get(uri)?.version !== version) return;

    routeFindingKeys.set(uri, routeKey(visible));
    viewParameterKeys.set(uri, viewParametersKey(viewParameters));
    if (fsPath) index.recordDocument(fsPath, result.findings);
    if (routesChanged) scheduleRelink(uri);
    notifyWorkspaceChanged();
    await published.publish(uri, version, visible, document.getText());
  }

  /** A fresh record of the modules a file's analysis reads (open document URI or closed file's path). */
  function usedBy(key: string): Set<string> {
    const used = new Set<string>();
    importedModuleFiles.set(key, used);
    return used;
  }

  /**
   * A module changed: what handlers pass to it may now reach a sink, or no longer. Open
   * documents that read it are analysed again; closed files in the index too when the change
   * is on disk (`onDisk`) — not on every keystroke in the module, which could mean re-reading
   * dozens of route files at each pause in typing.
   */
  function reanalyseImportersOf(module: string, onDisk: boolean): void {
    for (const [key, used] of importedModuleFiles) {
      if (!used.has(module)) continue;
      const open = documents.get(key);
      if (open) void settings.get(key).then((current) => scheduleFor(open, current.debounce));
      else if (onDisk && !key.includes('://') && !documents.get(uriOf(key))) refreshFromDiskSoon(key);
    }
  }

  /**
   * Tests prove that a failing analysis is logged and retried: with SHIPSHAPE_FAULT_INJECTION
   * set, the first analysis of each version of a document containing that marker throws.
   */
  function injectFault(document: TextDocument): void {
    const marker = process.env.SHIPSHAPE_FAULT_INJECTION;
    if (!marker || !document.getText().includes(marker)) return;
    const key = `${document.uri}@${document.version}`;
    if (injectedFaults.has(key)) return;
    injectedFaults.add(key);
    throw new Error(`injected fault for ${marker}`);
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

  /** Builds the workspace index in the background, with progress, then refreshes open documents and views. */
  async function rebuildIndex(): Promise<void> {
    indexComplete = false;
    folderSettings.clear();
    for (const root of model.roots) folderSettings.set(root, await settings.get(uriOf(root)));
    const progress = await connection.window.createWorkDoneProgress().catch(() => undefined);
    progress?.begin('Shipshape', 0, 'Analysing the workspace…', false);
    reportIndexProgress = (done, total) => progress?.report(Math.floor((done / Math.max(total, 1)) * 100), `Analysing the workspace… ${done}/${total} files`);
    await index.build(model.roots).catch((error: unknown) => connection.console.error(`Shipshape: workspace analysis failed: ${describe(error)}`));
    reportIndexProgress = () => undefined;
    progress?.done();
    indexComplete = true;
    // Open documents were read from disk by the build; their editor text wins again.
    revalidateAll();
    notifyWorkspaceChanged();
    readiness.schedule();
  }

  /** Relinking waits for a quiet moment: opening many files at once must not relink after each. */
  function scheduleRelink(except: string | undefined): void {
    clearTimeout(relinkTimer);
    relinkTimer = setTimeout(() => relinkOpenDocuments(relinkPending.size === 1 ? [...relinkPending][0] : undefined), 250);
    relinkPending.add(except ?? '');
  }

  /**
   * After route facts changed, re-analyse open documents whose route findings, or whose Django
   * views' URL parameters, would now differ; files not open get their view parameters refreshed.
   */
  function relinkOpenDocuments(except: string | undefined): void {
    relinkPending.clear();
    for (const document of documents.all()) {
      if (document.uri === except) continue;
      const file = fsPathOf(document.uri);
      const entry = file ? index.routesOf(file) : undefined;
      if (!entry) continue;
      const config = model.configOf(file!);
      const routesDiffer = !!entry.routes.factsOf(entry.relative) && routeKey(entry.routes.findingsFor(entry.relative, config)) !== routeFindingKeys.get(document.uri);
      const parametersDiffer = viewParametersKey(entry.routes.viewParametersOf(entry.relative, config)) !== (viewParameterKeys.get(document.uri) ?? '');
      if (routesDiffer || parametersDiffer) scheduler.schedule(document.uri, 50);
    }
    if (index.refreshViewParameters() > 0) notifyWorkspaceChanged();
  }

  function refreshFromDiskSoon(file: string): void {
    clearTimeout(diskRefreshTimers.get(file));
    diskRefreshTimers.set(file, setTimeout(() => {
      diskRefreshTimers.delete(file);
      const stat = fs.statSync(file, { throwIfNoEntry: false });
      if (!stat?.isFile()) return;
      index.refreshFromDisk(file, stat.size);
      relinkOpenDocuments(undefined);
      notifyWorkspaceChanged();
    }, 300));
  }

  /** Tells the client its views are stale, at most every 300 ms. */
  function notifyWorkspaceChanged(): void {
    if (changedTimer) return;
    changedTimer = setTimeout(() => {
      changedTimer = undefined;
      void connection.sendNotification(WorkspaceChangedNotification.method);
    }, 300);
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

/** Identity of a document's route findings, to tell whether relinking changed them. */
function routeKey(findings: readonly Finding[]): string {
  return JSON.stringify(findings.filter((finding) => finding.category === 'auth').map((finding) => [finding.ruleId, finding.range, finding.message]));
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
}
