import type { Connection } from 'vscode-languageserver';
import type { Severity } from './engine/types';

/** The `shipshape.*` settings, pulled per document (folder settings may differ). */
export interface ShipshapeSettings {
  enable: boolean;
  /** Severity per rule id (or `category/*`); "off" hides the rule. */
  severity: Record<string, Severity | 'off'>;
  /** Globs (gitignore syntax, relative to the workspace folder) of files not to analyse. */
  exclude: string[];
  /** Files larger than this many bytes get only bounded secret scanning. */
  maxFileSize: number;
  /** Milliseconds to wait after the last keystroke before analysing. */
  debounce: number;
  /** Opt-in online look-ups (advisories). Off by default: nothing leaves the machine. */
  online: boolean;
}

export const DEFAULT_SETTINGS: ShipshapeSettings = {
  enable: true,
  severity: {},
  exclude: [],
  maxFileSize: 2 * 1024 * 1024,
  debounce: 150,
  online: false,
};

const SEVERITY_VALUES = new Set(['error', 'warning', 'info', 'off']);

/** Merges what the client sent over the defaults, ignoring values of the wrong type. */
export function normaliseSettings(raw: unknown): ShipshapeSettings {
  const value = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const severity: Record<string, Severity | 'off'> = {};
  if (value.severity && typeof value.severity === 'object') {
    for (const [ruleId, level] of Object.entries(value.severity as Record<string, unknown>)) {
      if (typeof level === 'string' && SEVERITY_VALUES.has(level)) severity[ruleId] = level as Severity | 'off';
    }
  }
  return {
    enable: typeof value.enable === 'boolean' ? value.enable : DEFAULT_SETTINGS.enable,
    severity,
    exclude: Array.isArray(value.exclude) ? value.exclude.filter((glob): glob is string => typeof glob === 'string') : [],
    maxFileSize: typeof value.maxFileSize === 'number' && value.maxFileSize > 0 ? value.maxFileSize : DEFAULT_SETTINGS.maxFileSize,
    debounce: typeof value.debounce === 'number' && value.debounce >= 0 ? Math.min(value.debounce, 5000) : DEFAULT_SETTINGS.debounce,
    online: value.online === true,
  };
}

/** Pulls settings per document URI and caches them until the configuration changes or the document closes. */
export class SettingsCache {
  private readonly cache = new Map<string, Promise<ShipshapeSettings>>();

  constructor(
    private readonly connection: Connection,
    private readonly clientPullsConfiguration: () => boolean,
  ) {}

  get(uri: string): Promise<ShipshapeSettings> {
    if (!this.clientPullsConfiguration()) return Promise.resolve(DEFAULT_SETTINGS);
    let settings = this.cache.get(uri);
    if (!settings) {
      settings = this.connection.workspace
        .getConfiguration({ scopeUri: uri, section: 'shipshape' })
        .then(normaliseSettings, () => DEFAULT_SETTINGS);
      this.cache.set(uri, settings);
    }
    return settings;
  }

  clear(): void {
    this.cache.clear();
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }
}
