import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  PublishDiagnosticsNotification,
  ConfigurationRequest,
  ShowMessageNotification,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type InitializeParams,
  type ShowMessageParams,
} from 'vscode-languageserver-protocol/node';

/** Where the bundled server is, from test/out/lsp/… */
export const serverPath = path.resolve(__dirname, '..', '..', '..', 'server', 'out', 'server.js');

/**
 * A JSON-RPC client talking to the real bundled server over stdio, as any editor would.
 * It records every notification so tests can wait (polling, with a timeout) for what they expect.
 */
export class LspSession {
  readonly connection: ProtocolConnection;
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  readonly diagnosticHistory: PublishDiagnosticsParams[] = [];
  readonly messages: ShowMessageParams[] = [];
  /** `$/progress` notifications, in order (work-done progress the server reports). */
  readonly progress: { token: string | number; value: { kind: string; message?: string; percentage?: number } }[] = [];
  readonly rawTraffic: string[] = [];
  settings: Record<string, unknown> = {};
  private readonly process: ChildProcess;

  constructor(extraArgs: string[] = [], env: NodeJS.ProcessEnv = process.env) {
    this.process = spawn(process.execPath, [serverPath, '--stdio', ...extraArgs], { stdio: ['pipe', 'pipe', 'pipe'], env });
    this.process.stdout!.on('data', (chunk: Buffer) => this.rawTraffic.push(chunk.toString('utf8')));
    this.process.stderr!.on('data', (chunk: Buffer) => this.rawTraffic.push(chunk.toString('utf8')));
    this.connection = createProtocolConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.diagnostics.set(params.uri, params);
      this.diagnosticHistory.push(params);
    });
    this.connection.onNotification(ShowMessageNotification.method, (params: ShowMessageParams) => {
      this.messages.push(params);
    });
    this.connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => this.settings));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/showMessageRequest', (params: ShowMessageParams) => {
      this.messages.push(params);
      return null;
    });
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onNotification('$/progress', (params: { token: string | number; value: { kind: string; message?: string; percentage?: number } }) => {
      this.progress.push(params);
    });
    this.connection.listen();
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  get exited(): boolean {
    return this.process.exitCode !== null || this.process.signalCode !== null;
  }

  async initialize(rootPath: string, initializationOptions: Record<string, unknown> = { workspaceTrusted: true }): Promise<void> {
    const rootUri = `file://${rootPath}`;
    const params: InitializeParams = {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: path.basename(rootPath) }],
      initializationOptions,
      capabilities: {
        window: { workDoneProgress: true },
        workspace: {
          configuration: true,
          applyEdit: true,
          workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] },
          didChangeConfiguration: { dynamicRegistration: true },
          workspaceFolders: true,
        },
        textDocument: {
          publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } }, isPreferredSupport: true, dataSupport: true },
        },
      },
    };
    await this.connection.sendRequest('initialize', params);
    await this.connection.sendNotification('initialized', {});
  }

  async shutdown(): Promise<void> {
    if (this.exited) return;
    try {
      await withTimeout(this.connection.sendRequest('shutdown'), 5000, 'shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      // A server that does not answer is killed below.
    }
    this.connection.dispose();
    if (!this.exited) this.process.kill();
  }

  kill(): void {
    this.process.kill('SIGKILL');
  }
}

/** Polls `probe` every 20 ms until it returns a value, or fails naming `what`. */
export async function waitFor<T>(probe: () => T | undefined, what: string, timeoutMs = 10000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Like waitFor, for a probe that has to ask the server (returns a promise). */
export async function waitForAsync<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 10000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} timed out`)), ms))]);
}
