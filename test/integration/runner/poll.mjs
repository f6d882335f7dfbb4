// Polling with a deadline: the harness never sleeps for a fixed time and hopes.

/**
 * Calls `probe` every `intervalMs` until it returns something other than undefined/false,
 * and resolves with that value. Rejects after `timeoutMs`, naming `what`.
 */
export async function waitUntil(probe, what, { timeoutMs = 30_000, intervalMs = 100 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() >= deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** A promise that rejects with `message` after `ms`, and a way to cancel it. */
export function deadline(ms, message) {
  let timer;
  const promise = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}
