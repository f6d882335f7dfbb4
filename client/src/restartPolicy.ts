/**
 * When a crashed language server is started again: after each crash, unless it crashed more
 * than `maxRestarts` times within `windowMs` (a server that dies at start would otherwise be
 * restarted forever). Pure, so the unit tests can check it without VS Code.
 */
export class RestartPolicy {
  private readonly crashes: number[] = [];

  constructor(readonly maxRestarts = 4, readonly windowMs = 3 * 60 * 1000) {}

  /** Records a crash at `now` and says whether to start the server again. */
  restartAfterCrash(now: number): boolean {
    this.crashes.push(now);
    while (this.crashes.length > 0 && now - this.crashes[0] > this.windowMs) this.crashes.shift();
    return this.crashes.length <= this.maxRestarts;
  }

  /** Crashes within the window, as of the last one recorded. */
  get recentCrashes(): number {
    return this.crashes.length;
  }
}
