// What each tool found: seeded problems recovered (by kind) and findings elsewhere, where the
// corpus has no planted problem (package sources: mostly false alarms, some genuine test fixtures).

/** Line slack when matching a finding to a seed: secrets may be reported where their value starts (JSON, PEM). */
const SLACK = { secret: 5, route: 0, input: 0 };

export function score(findings, seeds) {
  if (!findings) return null;
  const byFile = new Map();
  for (const finding of findings) {
    if (!byFile.has(finding.file)) byFile.set(finding.file, []);
    byFile.get(finding.file).push(finding.line);
  }
  const found = { secret: 0, route: 0, input: 0 };
  const total = { secret: 0, route: 0, input: 0 };
  const missed = [];
  for (const seed of seeds) {
    total[seed.kind]++;
    const lines = byFile.get(seed.file) ?? [];
    if (lines.some((line) => Math.abs(line - seed.line) <= SLACK[seed.kind])) found[seed.kind]++;
    else missed.push(seed);
  }
  const outsideApp = findings.filter((finding) => finding.file.startsWith('packages/')).length;
  return { findings: findings.length, found, total, missed, outsideApp };
}

/** Seeds that lie in files present under the scanned folder (the ESLint subset holds only some). */
export function seedsWithin(seeds, relativeFiles) {
  const present = new Set(relativeFiles);
  return seeds.filter((seed) => present.has(seed.file));
}
