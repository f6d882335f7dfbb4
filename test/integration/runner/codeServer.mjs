// Starts one code-server for one suite, with its own user data and extensions folders, and
// stops it together with every process it started.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { deadline, waitUntil } from './poll.mjs';

const START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;

// User settings that keep a fresh profile quiet: no tours, no prompts about the repo the
// workspace may sit in, nothing sent anywhere.
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'git.openRepositoryInParentFolders': 'never',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
};

/**
 * Starts code-server on a free port and resolves once it listens.
 * @returns {Promise<{ origin: string, port: number, exited: Promise<string>, logTail: (lines?: number) => string, stop: () => Promise<void> }>}
 */
export async function startCodeServer({ entry, workspace, tmpDir, logFile, env }) {
  const userDataDir = path.join(tmpDir, 'user-data');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User/settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  // An existing config file stops code-server from writing one (with a password) to ~/.config.
  const configFile = path.join(tmpDir, 'config.yaml');
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');

  const args = [
    entry,
    '--config', configFile,
    '--auth', 'none',
    '--bind-addr', '127.0.0.1:0', // port 0: the OS picks a free one, code-server logs which
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', userDataDir,
    '--extensions-dir', path.join(tmpDir, 'extensions'),
    workspace,
  ];
  // An empty gallery turns off the marketplace: this machine cannot reach it, and every
  // failed lookup would otherwise end up as an error in the test output.
  // XDG_DATA_HOME: code-server keeps a heartbeat file and logs there; not in the user's home.
  const childEnv = { ...env, EXTENSIONS_GALLERY: '{}', XDG_DATA_HOME: path.join(tmpDir, 'data') };
  // detached: code-server gets its own process group, so stop() can end the file watcher,
  // extension host and pty host it forks along with it.
  const child = spawn(process.execPath, args, { env: childEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const killGroupNow = () => signalGroup(child.pid, 'SIGKILL');
  // Last resort if the runner dies without reaching stop(): never leave code-server behind.
  process.on('exit', killGroupNow);

  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const log = fs.createWriteStream(logFile);
  const lines = [];
  let onLine = () => {};
  for (const stream of [child.stdout, child.stderr]) {
    let partial = ''; // a chunk may end in the middle of a line
    stream.setEncoding('utf8');
    stream.on('data', (text) => {
      log.write(text);
      const chunkLines = (partial + text).split('\n');
      partial = chunkLines.pop();
      for (const line of chunkLines.filter((l) => l.trim() !== '')) {
        lines.push(line);
        onLine(line);
      }
      if (lines.length > 500) lines.splice(0, lines.length - 500);
    });
  }
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve(`code-server exited (${signal ?? `code ${code}`})`));
  });

  const stop = async () => {
    process.off('exit', killGroupNow);
    await stopGroup(child.pid);
    log.end();
  };

  const listening = new Promise((resolve) => {
    const check = (line) => {
      const match = /HTTP server listening on (http:\/\/[\d.]+:(\d+))\//.exec(line);
      if (match) resolve({ origin: match[1], port: Number(match[2]) });
    };
    lines.forEach(check);
    onLine = check;
  });
  const timeout = deadline(START_TIMEOUT_MS, `code-server did not start listening within ${START_TIMEOUT_MS / 1000} s`);
  try {
    const { origin, port } = await Promise.race([
      listening,
      exited.then((why) => Promise.reject(new Error(`${why} before it listened`))),
      timeout.promise,
    ]);
    return { origin, port, exited, stop, logTail: (count = 40) => tailOf(lines, count, userDataDir) };
  } catch (error) {
    await stop();
    error.message += `\n--- code-server output ---\n${lines.slice(-40).join('\n')}`;
    throw error;
  } finally {
    timeout.cancel();
  }
}

/** The last lines code-server printed, and the last lines of the extension host's own log. */
function tailOf(lines, count, userDataDir) {
  let text = `--- code-server output (last ${count} lines) ---\n${lines.slice(-count).join('\n')}`;
  for (const file of extensionHostLogs(userDataDir)) {
    const hostLines = fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-count);
    text += `\n--- ${path.relative(userDataDir, file)} (last ${count} lines) ---\n${hostLines.join('\n')}`;
  }
  return text;
}

function extensionHostLogs(userDataDir) {
  const logsDir = path.join(userDataDir, 'logs');
  if (!fs.existsSync(logsDir)) return [];
  return fs.readdirSync(logsDir, { recursive: true })
    .filter((name) => name.endsWith('remoteexthost.log'))
    .map((name) => path.join(logsDir, name));
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false; // ESRCH: the whole group is gone
  }
}

/** SIGTERM to the group, then SIGKILL whatever is still alive after a grace period. */
async function stopGroup(pid) {
  if (!signalGroup(pid, 'SIGTERM')) return;
  try {
    await waitUntil(() => !signalGroup(pid, 0), 'code-server to exit', { timeoutMs: STOP_GRACE_MS });
  } catch {
    signalGroup(pid, 'SIGKILL');
  }
}
