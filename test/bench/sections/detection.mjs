// What each tool found: seeded problems recovered (by kind) and findings elsewhere, where the
// corpus has no planted problem (package sources: mostly false alarms, some genuine test fixtures).

/** How far above a seeded secret a finding may sit (a JSON object or PEM block reported where it starts). */
const SECRET_REACH = 5;

/**
 * Matches findings to seeds one to one: a finding on the seed's line first; for secrets, otherwise
 * an unused finding up to SECRET_REACH lines above it. Each finding counts for one seed at most.
 */
export function score(findings, seeds) {
  if (!findings) return null;
  const unused = new Map();
  for (const finding of findings) {
    const key = `${finding.file}:${finding.line}`;
    unused.set(key, (unused.get(key) ?? 0) + 1);
  }
  const take = (file, line) => {
    const key = `${file}:${line}`;
    if (!unused.get(key)) return false;
    unused.set(key, unused.get(key) - 1);
    return true;
  };
  const found = { secret: 0, route: 0, input: 0 };
  const total = { secret: 0, route: 0, input: 0 };
  const missed = [];
  const pending = [];
  for (const seed of seeds) {
    total[seed.kind]++;
    if (take(seed.file, seed.line)) found[seed.kind]++;
    else pending.push(seed);
  }
  for (const seed of pending) {
    let hit = false;
    for (let line = seed.line - 1; seed.kind === 'secret' && !hit && line >= seed.line - SECRET_REACH; line--) hit = take(seed.file, line);
    if (hit) found[seed.kind]++;
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
