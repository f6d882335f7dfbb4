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
  /** A folder the server may write caches to (the opt-in advisory look-up's answers). */
  storagePath?: string;
}

/** The server's default heap limit in MB (setting `shipshape.server.maxMemory`). */
export const DEFAULT_SERVER_MAX_MEMORY_MB = 1024;

/**
 * Node flags the server runs with. V8 sizes its heap from the machine's memory (4 GB on 24 GB)
 * and lets garbage pile up accordingly: with 1,000 documents opened at once the server peaked at
 * ~320 MB while holding ~45 MB. A 1 GB limit and 4 MB young-generation halves make it collect
 * sooner: ~175 MB peak for ~15 % more CPU during the burst (`npm run bench`, server memory).
 * test/bench/lsp/serverMemory.mjs starts the server with the same flags.
 */
export function serverNodeFlags(maxMemoryMb: number = DEFAULT_SERVER_MAX_MEMORY_MB): string[] {
  const limit = Number.isFinite(maxMemoryMb) ? Math.min(16384, Math.max(256, Math.round(maxMemoryMb))) : DEFAULT_SERVER_MAX_MEMORY_MB;
  return [`--max-old-space-size=${limit}`, '--max-semi-space-size=4'];
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

/** A range as LSP has it (zero-based), repeated here so the protocol module stays dependency-free. */
export interface RangeDto {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export interface RouteDto {
  method: string;
  path: string;
  framework: string;
  uri: string;
  range: RangeDto;
  handler?: string;
  auth: 'authenticated' | 'public' | 'unauthenticated' | 'unknown';
  stateChanging: boolean;
  evidence: { uri: string; range: RangeDto; description: string }[];
}

export interface FindingDto {
  ruleId: string;
  category: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  uri: string;
  range: RangeDto;
  docsUrl?: string;
}

/** Client → server: the route inventory of every workspace folder. */
export namespace RoutesRequest {
  export const method = 'shipshape/routes';
  export interface Result {
    /** False while the first workspace analysis is still running. */
    complete: boolean;
    routes: RouteDto[];
  }
}

/** Client → server: every unsuppressed finding of the workspace (secret, auth, input, config). */
export namespace WorkspaceFindingsRequest {
  export const method = 'shipshape/findings';
  export interface Result {
    complete: boolean;
    findings: FindingDto[];
  }
}

/** Server → client: workspace results changed (views should refresh). Debounced by the server. */
export namespace WorkspaceChangedNotification {
  export const method = 'shipshape/workspaceChanged';
}

/** Client → server: facts about the server process (for "Show server status" and tests). */
export namespace ServerStatusRequest {
  export const method = 'shipshape/serverStatus';
  export interface Result {
    pid: number;
    version: string;
    uptimeSeconds: number;
    memoryMb: number;
    openDocuments: number;
    workspaceIndexed: boolean;
  }
}

/** One check's result in one unit, for the Readiness view. Paths are URIs. */
export interface CheckDto {
  id: string;
  title: string;
  area: string;
  severity: 'error' | 'warning' | 'info';
  level: 'bronze' | 'silver' | 'gold';
  effort: string;
  docs: string;
  remediation: string;
  status: 'pass' | 'fail' | 'unknown' | 'exempt';
  evidence: { uri: string; range: RangeDto; description: string }[];
  reason?: string;
  applicable: boolean;
  scope: 'unit' | 'workspace';
  exemption?: { reason: string; expires?: string; expired: boolean };
}

export interface ReadinessUnitDto {
  /** Folder URI of the unit. */
  uri: string;
  name: string;
  path: string;
  kind: string;
  level: 'none' | 'bronze' | 'silver' | 'gold';
  areas: { area: string; score?: number; passed: number; failed: number; unknown: number; exempt: number }[];
  checks: CheckDto[];
}

export interface ReadinessDto {
  /** Workspace folder URI. */
  root: string;
  level: 'none' | 'bronze' | 'silver' | 'gold';
  nextLevel?: { level: 'bronze' | 'silver' | 'gold'; blocking: { unit: string; id: string; title: string; status: string }[]; toConfirm: { unit: string; id: string; title: string; status: string }[] };
  areas: { area: string; score?: number; passed: number; failed: number; unknown: number; exempt: number }[];
  units: ReadinessUnitDto[];
  /** The same report as Markdown (what "Open report" shows). */
  markdown: string;
}

/** Client → server: the readiness assessment of every workspace folder. */
export namespace ReadinessRequest {
  export const method = 'shipshape/readiness';
  export interface Result {
    /** False until the first assessment is done. */
    complete: boolean;
    folders: ReadinessDto[];
    /** Error-level findings (secret, auth, input) in the workspace, for the status bar. */
    errorFindings: number;
  }
}

/** Client → server: analyse the workspace again from scratch (the Refresh command). */
export namespace RefreshRequest {
  export const method = 'shipshape/refresh';
}
