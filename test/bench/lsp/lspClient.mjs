// A JSON-RPC client for the real bundled server over stdio (as an editor talks to it), recording
// when each publishDiagnostics arrives so callers can time didChange → diagnostics.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { repoRoot, shipshapeServer } from '../paths.mjs';

const require = createRequire(path.join(repoRoot, 'package.json'));
const { createProtocolConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-languageserver-protocol/node');

/** The Node flags the extension starts the server with: serverNodeFlags() in server/src/protocol.ts (a unit test keeps them equal). */
export const SERVER_NODE_FLAGS = ['--max-old-space-size=1024', '--max-semi-space-size=4'];

export class LspClient {
  constructor(settings = {}, nodeArgs = SERVER_NODE_FLAGS) {
    this.settings = settings;
    this.configurationRequests = 0;
    this.process = spawn(process.execPath, [...nodeArgs, shipshapeServer, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.stderr = '';
    this.process.stderr.on('data', (chunk) => {
      if (this.stderr.length < 10000) this.stderr += chunk;
    });
    /** uri → latest { version, count, at } */
    this.latest = new Map();
    this.waiters = [];
    this.connection = createProtocolConnection(new StreamMessageReader(this.process.stdout), new StreamMessageWriter(this.process.stdin));
    this.connection.onNotification('textDocument/publishDiagnostics', (params) => {
      const entry = { version: params.version, count: params.diagnostics.length, at: performance.now() };
      this.latest.set(params.uri, entry);
      this.waiters = this.waiters.filter((waiter) => !waiter(params.uri, entry));
    });
    this.connection.onRequest('workspace/configuration', (params) => {
      this.configurationRequests++;
      return params.items.map(() => this.settings);
    });
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onRequest('window/showMessageRequest', () => null);
    this.connection.onNotification(() => undefined);
    this.connection.listen();
  }

  get pid() {
    return this.process.pid;
  }

  async initialize(rootPath) {
    const rootUri = `file://${rootPath}`;
    await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: path.basename(rootPath) }],
      initializationOptions: { workspaceTrusted: true },
      capabilities: {
        workspace: { configuration: true, workspaceFolders: true, didChangeConfiguration: { dynamicRegistration: true } },
        textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true } },
        window: { workDoneProgress: true },
      },
    });
    await this.connection.sendNotification('initialized', {});
  }

  /** Resolves when the workspace index is complete (shipshape/routes says so). */
  async waitForIndex(timeoutMs = 120000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const result = await this.connection.sendRequest('shipshape/routes');
      if (result?.complete) return result;
      if (Date.now() > deadline) throw new Error('the workspace index did not complete in time');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  open(uri, text, version = 1, languageId = 'javascript') {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  change(uri, version, contentChanges) {
    return this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
  }

  /** Resolves with the arrival time of diagnostics for `uri` at `version` (or later). */
  diagnosticsFor(uri, version, timeoutMs = 30000) {
    const seen = this.latest.get(uri);
    if (seen && seen.version >= version) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} v${version} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push((doneUri, entry) => {
        if (doneUri !== uri || entry.version < version) return false;
        clearTimeout(timer);
        resolve(entry);
        return true;
      });
    });
  }

  async shutdown() {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 5000))]);
      await this.connection.sendNotification('exit');
    } catch {
      // killed below
    }
    if (this.process.exitCode === null) await new Promise((resolve) => {
      const timer = setTimeout(resolve, 3000);
      this.process.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.connection.dispose();
    if (this.process.exitCode === null && this.process.signalCode === null) this.process.kill();
  }
}
