import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';
import Module = require('node:module');

/**
 * Loads a large CommonJS bundle — TypeScript's parser, 3.5 MB — with a V8 code cache, as Node 22's
 * `module.enableCompileCache()` does (we run on Node 20 and on VS Code's Electron). Compiling the
 * bundle cost ~100 ms of every CLI run that parses a file, and compiling the functions the run
 * then calls ~50 ms more; with the cache, both come back ready (measured: 100 → 23 ms to load).
 *
 * A code cache is code, so it lives where only the user can write: their own cache folder, made
 * with mode 0700, never the shared temp folder. It is keyed by the runtime and the bundle's size
 * and time; V8 also checks it against its own version, flags and the source, and ignores it when
 * they differ. Any failure to read or write it only means compiling as usual.
 * SHIPSHAPE_CODE_CACHE=off turns it off; SHIPSHAPE_CODE_CACHE=<folder> puts it elsewhere.
 */
export function requireWithCodeCache(file: string): unknown {
  const folder = cacheFolder();
  if (!folder) return require(file);
  let source: string;
  let cacheFile: string;
  let prefix: string;
  try {
    const stat = fs.statSync(file);
    source = fs.readFileSync(file, 'utf8');
    prefix = runtimePrefix(file);
    cacheFile = path.join(folder, `${prefix}${stat.size}-${Math.round(stat.mtimeMs)}.v8cache`);
  } catch {
    return require(file);
  }
  let cachedData: Buffer | undefined;
  try {
    cachedData = isPrivate(folder) ? fs.readFileSync(cacheFile) : undefined;
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), { filename: file, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} as unknown, filename: file };
  (script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, Module.createRequire(file), module, file, path.dirname(file));
  if (!cachedData || script.cachedDataRejected) {
    // Written at exit, so the cache also holds the functions this run compiled.
    process.once('exit', () => writeCache(folder, cacheFile, prefix, () => script.createCachedData()));
  }
  return module.exports;
}

/** The folder for code caches, or undefined when turned off or there is no private place for it. */
export function cacheFolder(): string | undefined {
  const setting = process.env.SHIPSHAPE_CODE_CACHE;
  if (setting === 'off' || setting === '0') return undefined;
  if (setting) return setting;
  let home: string;
  try {
    home = os.homedir();
  } catch {
    return undefined;
  }
  if (!home) return undefined;
  const base = process.platform === 'win32'
    ? process.env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local')
    : process.platform === 'darwin'
      ? path.join(home, 'Library', 'Caches')
      : process.env.XDG_CACHE_HOME && path.isAbsolute(process.env.XDG_CACHE_HOME) ? process.env.XDG_CACHE_HOME : path.join(home, '.cache');
  return path.join(base, 'shipshape', 'code-cache');
}

function writeCache(folder: string, cacheFile: string, prefix: string, data: () => Buffer): void {
  try {
    fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
    if (!isPrivate(folder)) return;
    const partial = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(partial, data(), { mode: 0o600 });
    fs.renameSync(partial, cacheFile);
    // Caches of earlier builds of the same bundle are no use any more to this runtime (the editor's
    // Electron and the CLI's Node keep their own).
    for (const name of fs.readdirSync(folder)) {
      if (name.startsWith(prefix) && name !== path.basename(cacheFile) && !name.endsWith('.tmp')) fs.rmSync(path.join(folder, name), { force: true });
    }
  } catch {
    // Nothing is lost: the next run compiles as this one did.
  }
}

/** Whether the folder belongs to this user and nobody else can write to it (where POSIX says so). */
function isPrivate(folder: string): boolean {
  if (typeof process.getuid !== 'function') return true;
  const stat = fs.statSync(folder);
  return stat.isDirectory() && stat.uid === process.getuid() && (stat.mode & 0o022) === 0;
}

/** The start of every cache file name for this bundle and runtime. */
function runtimePrefix(bundle: string): string {
  return `${path.basename(bundle)}-${process.version}-${process.arch}-`;
}
