import * as assert from 'node:assert/strict';
import { parsePython } from '../../../../server/src/engine/python/parser';
import { tokenizePython } from '../../../../server/src/engine/python/tokenizer';
import { allFixtures } from './pythonTestSupport';

/** A large realistic file: the valid framework fixtures, repeated whole until it passes 5,000 lines. */
function largeRealisticFile(): string {
  const valid = allFixtures()
    .filter(([name]) => !name.startsWith('legacy'))
    .map(([, text]) => text);
  const parts: string[] = [];
  let lines = 0;
  while (lines < 5000) {
    for (const text of valid) {
      parts.push(text);
      lines += text.split('\n').length;
    }
  }
  return parts.join('\n');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

describe('python parser speed', () => {
  it('parses a 5,000-line file in well under 50 ms once warm (asserting a generous 500 ms)', () => {
    const text = largeRealisticFile();
    const lineCount = text.split('\n').length;
    const first = performance.now();
    const module = parsePython(text);
    const firstMs = performance.now() - first;
    assert.deepEqual(module.errors, []);
    const runs: number[] = [];
    for (let run = 0; run < 15; run++) {
      const started = performance.now();
      parsePython(text);
      runs.push(performance.now() - started);
    }
    const tokenizeRuns: number[] = [];
    for (let run = 0; run < 15; run++) {
      const started = performance.now();
      tokenizePython(text);
      tokenizeRuns.push(performance.now() - started);
    }
    const parseMs = median(runs);
    const megabytes = text.length / 1e6;
    console.log(
      `      python: ${lineCount} lines, ${(text.length / 1024).toFixed(0)} KB — parse ${parseMs.toFixed(1)} ms median ` +
        `(${(megabytes / (parseMs / 1000)).toFixed(1)} MB/s; first run ${firstMs.toFixed(1)} ms), tokenize ${median(tokenizeRuns).toFixed(1)} ms`,
    );
    assert.ok(parseMs < 500, `median parse took ${parseMs.toFixed(1)} ms`);
  });
});
