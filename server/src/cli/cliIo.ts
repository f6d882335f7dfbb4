/** Where the CLI writes, so tests can run commands in-process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Colour on a TTY only, and never when NO_COLOR is set. */
  color: boolean;
}

/** A mistake in how the CLI was called, or a config/I/O problem: exit code 2, one line on stderr. */
export class UsageError extends Error {}

export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    color: process.stdout.isTTY === true && !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb',
  };
}
