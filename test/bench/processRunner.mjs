// Runs a command as a whole process and measures it: wall time, CPU time (user + sys) and peak RSS,
// through /usr/bin/time when present, otherwise by polling /proc/<pid>/status (VmHWM) and /proc/<pid>/stat.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const TIME = '/usr/bin/time';
const hasTime = fs.existsSync(TIME);

export const peakRssMethod = hasTime ? '/usr/bin/time -f "%M %U %S"' : 'polling /proc/<pid>/status VmHWM every 50 ms';

/** Peak RSS (MB) and CPU time (ms) of a live process, from /proc; undefined once it is gone. */
export function procUsage(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024, cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / 100 };
  } catch {
    return undefined;
  }
}

/**
 * Runs `command args` in `cwd`; resolves { ok, code, wallMs, cpuMs, peakMb, stderr } (never rejects).
 * `okCodes` are the exit codes that mean the tool ran (linters exit 1 when they find something).
 */
export function runMeasured(command, args, { cwd, okCodes = [0, 1], timeoutMs = 15 * 60 * 1000, env } = {}) {
  const statsFile = path.join(os.tmpdir(), `shipshape-bench-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.txt`);
  const argv = hasTime ? [TIME, ['-f', '%M %U %S', '-o', statsFile, command, ...args]] : [command, args];
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(argv[0], argv[1], { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      if (stderr.length < 20000) stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    let polled;
    const poller = hasTime ? undefined : setInterval(() => {
      polled = procUsage(child.pid) ?? polled;
    }, 50);
    const finish = (code, error) => {
      clearTimeout(timer);
      clearInterval(poller);
      if (polled) fs.writeFileSync(statsFile, `${polled.peakMb * 1024} ${polled.cpuMs / 2000} ${polled.cpuMs / 2000}\n`);
      const wallMs = performance.now() - started;
      let peakMb = null;
      let cpuMs = null;
      try {
        const line = fs.readFileSync(statsFile, 'utf8').trim().split('\n').pop();
        const [maxRssKb, user, sys] = line.split(/\s+/).map(Number);
        peakMb = maxRssKb / 1024;
        cpuMs = (user + sys) * 1000;
      } catch {
        // No statistics: the measurement just lacks memory and CPU figures.
      }
      fs.rmSync(statsFile, { force: true });
      // /usr/bin/time reports the child's status as its own exit code.
      const ok = !error && okCodes.includes(code);
      resolve({ ok, code, wallMs, cpuMs, peakMb, stderr: ok ? '' : `${error ? `${error.message}\n` : ''}${stderr.trim().split('\n').slice(-6).join('\n')}` });
    };
    child.on('error', (error) => finish(null, error));
    child.on('close', (code) => finish(code));
  });
}
