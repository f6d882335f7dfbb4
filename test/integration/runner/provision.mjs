// Installs what the harness needs, once: Debian's Chromium, ripgrep and the headers that
// code-server's native modules build against, and code-server itself in a repo-local cache.
// See shared/VSCODE-TESTS-OFFLINE.md for why each step exists (no internet but npm and apt).
import fs from 'node:fs';
import path from 'node:path';
import { codeServerCacheDir } from './paths.mjs';
import { run } from './exec.mjs';

// 4.100.3 is the last code-server on Node 20 and bundles VS Code 1.100.3, which matches
// the extension's engines.vscode (^1.100.0).
const CODE_SERVER_VERSION = '4.100.3';
const APT_PACKAGES = ['chromium', 'ripgrep', 'libkrb5-dev', 'libx11-dev', 'libxkbfile-dev', 'libsecret-1-dev', 'pkg-config'];

// Packages of VS Code's own dependencies whose install scripts we let npm run. npm 11 warns
// about ("not yet covered by allowScripts") and, with strict-allow-scripts set, refuses any
// package with install scripts that is not on such a list, even under `npm rebuild`.
// The Windows-only modules are listed because their scripts build harmless stubs on Linux,
// as a plain `npm install code-server` would; @vscode/ripgrep's postinstall skips its GitHub
// download because we put Debian's rg in its bin/ first.
const VSCODE_ALLOWED_SCRIPTS = [
  '@parcel/watcher', '@vscode/deviceid', '@vscode/ripgrep', '@vscode/spdlog', '@vscode/windows-process-tree',
  '@vscode/windows-registry', 'kerberos', 'native-watchdog', 'node-pty',
];

const stampFile = path.join(codeServerCacheDir, '.installed.json');
const packageDir = path.join(codeServerCacheDir, 'node_modules/code-server');
const vscodeDir = path.join(packageDir, 'lib/vscode');
export const codeServerEntry = path.join(packageDir, 'out/node/entry.js');

/** Makes sure everything is installed; returns the path of code-server's entry script. */
export async function provision() {
  requireNode20();
  await ensureDebianPackages();
  await ensureCodeServer();
  return codeServerEntry;
}

function requireNode20() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major !== 20) {
    throw new Error(`code-server ${CODE_SERVER_VERSION} runs on Node 20 only; this is Node ${process.versions.node}.`);
  }
}

async function ensureDebianPackages() {
  const missing = await missingDebianPackages();
  if (missing.length === 0) return;
  const command = `apt-get install -y ${missing.join(' ')}`;
  if (process.getuid?.() !== 0 || !fs.existsSync('/usr/bin/apt-get')) {
    throw new Error(`Missing Debian packages: ${missing.join(', ')}. Install them as root: ${command}`);
  }
  console.log(`[provision] ${command}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update', '-qq'], { env });
  await run('apt-get', ['install', '-y', '-qq', ...missing], { env });
}

async function missingDebianPackages() {
  if (!fs.existsSync('/usr/bin/dpkg-query')) {
    // Not Debian: we can only check the two programs the harness runs.
    return ['/usr/bin/chromium', '/usr/bin/rg'].some((file) => !fs.existsSync(file)) ? APT_PACKAGES : [];
  }
  // dpkg-query exits non-zero when it knows nothing of a package, so read its output instead.
  const output = await run('sh', ['-c', `dpkg-query -W -f='\${Package} \${Status}\\n' ${APT_PACKAGES.join(' ')} 2>/dev/null || true`]);
  const installed = new Set(output.split('\n').filter((line) => line.endsWith(' installed')).map((line) => line.split(' ')[0]));
  return APT_PACKAGES.filter((name) => !installed.has(name));
}

/** What a finished install was made for; a mismatch (or no stamp) means install again. */
function wantedStamp() {
  return { codeServer: CODE_SERVER_VERSION, nodeModulesAbi: process.versions.modules, platform: `${process.platform}-${process.arch}` };
}

function isInstalled() {
  try {
    const stamp = JSON.parse(fs.readFileSync(stampFile, 'utf8'));
    return JSON.stringify(stamp) === JSON.stringify(wantedStamp()) && fs.existsSync(codeServerEntry);
  } catch {
    return false;
  }
}

async function ensureCodeServer() {
  if (isInstalled()) return;
  const started = Date.now();
  console.log(`[provision] installing code-server ${CODE_SERVER_VERSION} into ${path.relative(process.cwd(), codeServerCacheDir) || '.'} (first run only, about 1-2 minutes)`);
  // Whatever is there without a stamp is a half-finished install: start over.
  fs.rmSync(codeServerCacheDir, { recursive: true, force: true });
  fs.mkdirSync(codeServerCacheDir, { recursive: true });

  // Our own package.json makes the cache folder its own npm project (npm would otherwise
  // walk up to the repo's package.json) and states which install scripts may run there:
  // argon2's build, but never code-server's postinstall.sh, which we replay by hand below.
  writeJson(path.join(codeServerCacheDir, 'package.json'), {
    private: true,
    dependencies: { 'code-server': CODE_SERVER_VERSION },
    allowScripts: { argon2: true, 'code-server': false },
  });
  const step = (what) => console.log(`[provision]   ${what}`);

  step('npm install code-server (scripts off)');
  await run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: codeServerCacheDir });

  step('npm install VS Code dependencies (scripts off)');
  fs.writeFileSync(path.join(vscodeDir, '.npmrc'), `allow-scripts=${VSCODE_ALLOWED_SCRIPTS.join(',')}\n`);
  await run('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: vscodeDir });

  // @vscode/ripgrep's postinstall would download rg from GitHub; it skips that when bin/ exists.
  fs.mkdirSync(path.join(vscodeDir, 'node_modules/@vscode/ripgrep/bin'), { recursive: true });
  forceSymlink('/usr/bin/rg', path.join(vscodeDir, 'node_modules/@vscode/ripgrep/bin/rg'));

  step('npm rebuild VS Code native modules (node-pty, spdlog, kerberos, ...)');
  // node-pty's post-install runs `npx node-gyp`; the machine's npmrc says yes=false.
  await run('npm', ['rebuild', '--no-audit'], { cwd: vscodeDir, env: { ...process.env, npm_config_yes: 'true' } });

  // The rest of code-server's postinstall.sh, which we do not run: it refuses to run as root
  // and would redo the installs above.
  forceSymlink('node_modules', path.join(vscodeDir, 'node_modules.asar'));
  forceSymlink('code-linux.sh', path.join(vscodeDir, 'bin/remote-cli/code-server'));
  forceSymlink('browser-linux.sh', path.join(vscodeDir, 'bin/helpers/browser.sh'));
  // The built-in extensions share one dependency, TypeScript. Scripts off: the folder's own
  // postinstall only deletes parts of TypeScript to save space, and npm's script policy
  // would otherwise object to the dev dependencies' scripts even though they are omitted.
  step('npm install built-in extensions dependencies (scripts off)');
  await run('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: path.join(vscodeDir, 'extensions') });

  step('npm rebuild argon2');
  await run('npm', ['rebuild', 'argon2'], { cwd: codeServerCacheDir });

  // Written last: its presence is what marks the install as complete.
  writeJson(stampFile, wantedStamp());
  console.log(`[provision] code-server installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function forceSymlink(target, linkPath) {
  fs.rmSync(linkPath, { recursive: true, force: true });
  fs.symlinkSync(target, linkPath);
}

function writeJson(file, value) {
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}
