import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Ecosystem } from './types';

/**
 * Optional, online: asks OSV (https://osv.dev) which locked versions have known
 * vulnerabilities. Nothing is sent unless the caller passes `enabled: true`. Answers are
 * cached on disk with their date and reused while fresh. Without network (refused, DNS,
 * timeout) the result says so, and the readiness check is "unknown", never a failure.
 */

export const OSV_DEFAULT_BASE_URL = 'https://api.osv.dev';
const BATCH_SIZE = 1000;
const CACHE_FILE = 'osv-cache.json';
const CACHE_VERSION = 1;

export interface PackageQuery {
  ecosystem: Ecosystem;
  name: string;
  version: string;
  /** Lockfile that holds this version (workspace-relative), for evidence. */
  lockfile?: string;
}

export interface VulnerabilityRecord {
  id: string;
  modified?: string;
}

export interface PackageVulnerabilities extends PackageQuery {
  vulns: VulnerabilityRecord[];
}

export interface VulnerabilityLookupResult {
  /** False when look-ups are off: nothing was sent. */
  enabled: boolean;
  /** Every package has an answer (fresh or from the cache). */
  complete: boolean;
  /** Why some answers are missing (no network, HTTP error…). */
  error?: string;
  /** When the answers were obtained (the oldest cached answer used). */
  checkedAt?: string;
  /** Packages with at least one known vulnerability. */
  vulnerable: PackageVulnerabilities[];
  /** Number of packages checked. */
  checked: number;
  /** How many answers came from the cache. */
  fromCache: number;
}

/** The subset of fetch the look-up uses, so tests and callers can provide their own. */
export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal }) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

export interface LookupOptions {
  /** Off unless true: the default never touches the network. */
  enabled?: boolean;
  /** Default https://api.osv.dev; tests point it at a local server. */
  baseUrl?: string;
  /** Folder for the on-disk cache; no caching when undefined. */
  cacheDirectory?: string;
  now: Date;
  /** Per request (default 10 s). */
  timeoutMs?: number;
  /** Cached answers older than this are asked again (default 24 h). */
  maxAgeMs?: number;
  fetch?: FetchLike;
}

interface CacheEntry {
  checkedAt: string;
  vulns: VulnerabilityRecord[];
}

interface CacheFile {
  version: number;
  entries: Record<string, CacheEntry>;
}

const OSV_ECOSYSTEM: Record<Ecosystem, string> = { node: 'npm', python: 'PyPI' };

function cacheKey(query: PackageQuery): string {
  return `${OSV_ECOSYSTEM[query.ecosystem]}:${query.name}@${query.version}`;
}

export async function lookupVulnerabilities(packages: readonly PackageQuery[], options: LookupOptions): Promise<VulnerabilityLookupResult> {
  if (!options.enabled) return { enabled: false, complete: false, vulnerable: [], checked: 0, fromCache: 0 };
  const unique = new Map<string, PackageQuery>();
  for (const query of packages) if (!unique.has(cacheKey(query))) unique.set(cacheKey(query), query);
  const cache = readCache(options.cacheDirectory);
  const maxAge = options.maxAgeMs ?? 24 * 60 * 60 * 1000;
  const now = options.now.getTime();
  const answers = new Map<string, CacheEntry>();
  const toAsk: PackageQuery[] = [];
  for (const [key, query] of unique) {
    const cached = cache.entries[key];
    if (cached && now - Date.parse(cached.checkedAt) <= maxAge) answers.set(key, cached);
    else toAsk.push(query);
  }
  const fromCache = answers.size;
  let error: string | undefined;
  const fetchImplementation: FetchLike = options.fetch ?? (globalThis.fetch as unknown as FetchLike);
  const url = `${(options.baseUrl ?? OSV_DEFAULT_BASE_URL).replace(/\/+$/, '')}/v1/querybatch`;
  for (let start = 0; start < toAsk.length && !error; start += BATCH_SIZE) {
    const batch = toAsk.slice(start, start + BATCH_SIZE);
    try {
      const results = await queryBatch(fetchImplementation, url, batch, options.timeoutMs ?? 10000);
      const checkedAt = options.now.toISOString();
      batch.forEach((query, index) => {
        const entry: CacheEntry = { checkedAt, vulns: results[index] ?? [] };
        answers.set(cacheKey(query), entry);
        cache.entries[cacheKey(query)] = entry;
      });
    } catch (caught) {
      error = describeNetworkError(caught);
    }
  }
  if (toAsk.length && options.cacheDirectory) writeCache(options.cacheDirectory, cache);
  const vulnerable: PackageVulnerabilities[] = [];
  let oldest: string | undefined;
  for (const query of packages) {
    const answer = answers.get(cacheKey(query));
    if (!answer) continue;
    if (!oldest || answer.checkedAt < oldest) oldest = answer.checkedAt;
    if (answer.vulns.length) vulnerable.push({ ...query, vulns: answer.vulns });
  }
  return {
    enabled: true,
    complete: answers.size === unique.size,
    ...(error ? { error } : {}),
    ...(oldest ? { checkedAt: oldest } : {}),
    vulnerable,
    checked: unique.size,
    fromCache,
  };
}

async function queryBatch(fetchImplementation: FetchLike, url: string, batch: PackageQuery[], timeoutMs: number): Promise<VulnerabilityRecord[][]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetchImplementation(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ queries: batch.map((query) => ({ package: { name: query.name, ecosystem: OSV_ECOSYSTEM[query.ecosystem] }, version: query.version })) }),
      signal: controller.signal,
    });
    if (!response.ok) throw new Error(`OSV answered HTTP ${response.status}`);
    const body = (await response.json()) as { results?: { vulns?: { id?: unknown; modified?: unknown }[] }[] };
    if (!Array.isArray(body?.results) || body.results.length !== batch.length) throw new Error('OSV answered with an unexpected body');
    return body.results.map((result) => (result?.vulns ?? [])
      .filter((vuln) => typeof vuln?.id === 'string')
      .map((vuln) => ({ id: String(vuln.id), ...(typeof vuln.modified === 'string' ? { modified: vuln.modified } : {}) })));
  } finally {
    clearTimeout(timer);
  }
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string } })?.cause;
  const code = cause?.code ?? (error as { code?: string })?.code;
  if ((error as Error)?.name === 'AbortError') return 'the advisory service did not answer in time';
  if (code === 'ECONNREFUSED') return 'the advisory service refused the connection';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the advisory service could not be found (no network or DNS)';
  if (code) return `network error (${code})`;
  return (error as Error)?.message ?? 'network error';
}

function readCache(directory: string | undefined): CacheFile {
  if (!directory) return { version: CACHE_VERSION, entries: {} };
  try {
    const parsed = JSON.parse(fs.readFileSync(path.join(directory, CACHE_FILE), 'utf8')) as CacheFile;
    if (parsed.version === CACHE_VERSION && parsed.entries && typeof parsed.entries === 'object') return parsed;
  } catch {
    // A missing or damaged cache is rebuilt.
  }
  return { version: CACHE_VERSION, entries: {} };
}

function writeCache(directory: string, cache: CacheFile): void {
  try {
    fs.mkdirSync(directory, { recursive: true });
    const file = path.join(directory, CACHE_FILE);
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(cache));
    fs.renameSync(temporary, file);
  } catch {
    // The cache is an optimisation; failing to write it changes no result.
  }
}
