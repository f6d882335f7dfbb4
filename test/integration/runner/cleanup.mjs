// Everything a suite starts (code-server, Chromium) is registered in a scope, so that it is
// stopped at the end of the suite, on a suite timeout, and on Ctrl-C alike.

const openScopes = new Set();
let stopping = false;

/** True once a signal asked the runner to stop: start nothing new, report nothing more. */
export const isStopping = () => stopping;

/**
 * A scope collects close functions and runs them, newest first, when it is closed. Adding to
 * a scope that is already closed (a start that finished after a timeout) closes the new
 * thing at once and throws, which abandons the rest of that start.
 */
export function openScope() {
  const closers = [];
  let closed = false;
  const scope = {
    async add(close) {
      if (closed) {
        await close();
        throw new Error('stopped: the suite already ended');
      }
      closers.push(close);
    },
    async close() {
      closed = true;
      openScopes.delete(scope);
      while (closers.length > 0) {
        const close = closers.pop();
        await Promise.resolve().then(close).catch((error) => console.error(`[integration] cleanup failed: ${error.message}`));
      }
    },
  };
  openScopes.add(scope);
  return scope;
}

/** On Ctrl-C (or a kill), stop whatever is running before exiting. */
export function closeScopesOnSignals() {
  const codes = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
  for (const [signal, code] of Object.entries(codes)) {
    process.once(signal, async () => {
      stopping = true;
      console.error(`\n[integration] ${signal}: stopping`);
      await Promise.all([...openScopes].map((scope) => scope.close()));
      process.exit(code);
    });
  }
}
