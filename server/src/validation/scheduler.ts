/**
 * One place that decides when a document is analysed: after a quiet period per document,
 * cancelling the run a newer edit supersedes, so the editor never waits on stale work.
 */
export class ValidationScheduler {
  private readonly pending = new Map<string, { timer: ReturnType<typeof setTimeout>; controller: AbortController }>();

  constructor(private readonly run: (uri: string, signal: AbortSignal) => Promise<void>, private readonly onError: (uri: string, error: unknown) => void) {}

  /** Analyse `uri` after `delayMs`; an earlier pending or running analysis of it is cancelled. */
  schedule(uri: string, delayMs: number): void {
    this.cancel(uri);
    const controller = new AbortController();
    const timer = setTimeout(() => {
      this.run(uri, controller.signal)
        .catch((error) => {
          if (!controller.signal.aborted) this.onError(uri, error);
        })
        .finally(() => {
          if (this.pending.get(uri)?.controller === controller) this.pending.delete(uri);
        });
    }, delayMs);
    this.pending.set(uri, { timer, controller });
  }

  cancel(uri: string): void {
    const entry = this.pending.get(uri);
    if (!entry) return;
    clearTimeout(entry.timer);
    entry.controller.abort();
    this.pending.delete(uri);
  }

  dispose(): void {
    for (const uri of [...this.pending.keys()]) this.cancel(uri);
  }
}
