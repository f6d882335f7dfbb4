/**
 * Messages between the extension and the language server beyond standard LSP, defined
 * once here and imported by both sides. Plain types only: no vscode or server imports.
 */

/** Sent by the client in `initializationOptions`. */
export interface InitializationOptions {
  /** Whether VS Code trusts the workspace; workspace-supplied patterns run only when it does. */
  workspaceTrusted: boolean;
  /** Commands the client implements itself, which code actions may attach. */
  clientCommands?: string[];
}

/** Client → server when the user grants workspace trust. */
export namespace WorkspaceTrustNotification {
  export const method = 'shipshape/workspaceTrusted';
  export interface Params {
    trusted: boolean;
  }
}

/** Commands the server executes (workspace/executeCommand). */
export const ServerCommands = {
  /** Shows why a key in browser code cannot be fixed with an environment variable. Args: [explanation: string]. */
  explain: 'shipshape.server.explain',
} as const;

/** Commands the VS Code client implements and code actions may attach. */
export const ClientCommands = {
  /** Moves the cursor to the end of an inserted suppression so the user types the reason. Args: [uri, line, character]. */
  placeCursor: 'shipshape.placeCursor',
} as const;

/** Data attached to every diagnostic, so code actions can find the finding it came from. */
export interface DiagnosticData {
  /** Document version the finding was computed for. */
  version: number;
  /** Index of the finding in the stored result for that version. */
  index: number;
}
