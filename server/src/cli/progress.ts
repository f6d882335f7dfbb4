/**
 * A one-line progress indicator on stderr for long scans on a terminal. It redraws at most
 * ten times a second and erases itself when done, so it never ends up in piped output.
 */
export class ProgressLine {
  private lastDraw = 0;
  private drawn = false;
  private readonly started = Date.now();

  constructor(private readonly stream: NodeJS.WriteStream, private readonly enabled: boolean) {}

  update(done: number, total: number): void {
    if (!this.enabled || total === 0) return;
    const now = Date.now();
    // Short scans finish before a bar would help; only draw after half a second.
    if (now - this.started < 500 || now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const width = 24;
    const filled = Math.round((done / total) * width);
    this.stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} files`);
    this.drawn = true;
  }

  finish(): void {
    if (this.drawn) this.stream.write('\r\x1b[2K');
    this.drawn = false;
  }
}
