// Runs provisioning commands quietly: their output is kept and shown only when they fail.
import { spawn } from 'node:child_process';

/** Runs `command args` to completion; rejects with the tail of its output if it fails. */
export function run(command, args, { cwd, env = process.env } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    // If the runner exits meanwhile (Ctrl-C), the install must not go on without it.
    const killChild = () => child.kill();
    process.on('exit', killChild);
    const output = [];
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      process.off('exit', killChild);
      const text = Buffer.concat(output).toString('utf8');
      if (code === 0) return resolve(text);
      const tail = text.trimEnd().split('\n').slice(-60).join('\n');
      reject(new Error(`\`${command} ${args.join(' ')}\` (in ${cwd ?? process.cwd()}) failed with ${signal ?? `exit code ${code}`}:\n${tail}`));
    });
  });
}
