// Builds a source file line by line and remembers which lines carry a seeded problem.

export class SourceWriter {
  constructor(file) {
    this.file = file;
    this.lines = [];
    this.seeds = [];
  }

  /** Adds one or more lines; `seed` ({kind, what}) marks the first of them. */
  add(text, seed) {
    if (seed) this.seeds.push({ file: this.file, line: this.lines.length + 1, ...seed });
    this.lines.push(...text.split('\n'));
    return this;
  }

  /** Adds lines where the one ending in `// @seed` carries the seed (the marker is removed). */
  addMarked(text, seed) {
    for (const line of text.split('\n')) {
      if (line.endsWith('// @seed')) this.add(line.slice(0, -'// @seed'.length).trimEnd(), seed);
      else this.add(line);
    }
    return this;
  }

  get lineCount() {
    return this.lines.length;
  }

  text() {
    return `${this.lines.join('\n')}\n`;
  }
}
