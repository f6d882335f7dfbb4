// Ordinary source files: JavaScript from the packages already in node_modules, spread evenly over
// them (every k-th file in path order), copied under names every tool walks.
import * as fs from 'node:fs';
import * as path from 'node:path';

const EXTENSIONS = /\.(js|mjs|cjs)$/;
const MAX_FILE_BYTES = 256 * 1024;
const MIN_FILE_BYTES = 200;
/** Folder names some tools skip by default (dependencies, build output): renamed in the copy so every tool sees the same files. */
const RENAME = new Set(['node_modules', 'bower_components', 'jspm_packages', 'dist', 'build', 'out', 'coverage', 'vendor', 'target', 'site-packages', '.cache', '.next', '.output', 'storybook-static']);

/** Every candidate file under `root`, sorted by path: { path, relative, size }. */
export function listCandidates(root, exclude = []) {
  const found = [];
  const walk = (directory, relative) => {
    let entries;
    try {
      entries = fs.readdirSync(directory, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const child = path.join(directory, entry.name);
      const childRelative = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (entry.name === '.bin' || entry.name.startsWith('.')) continue;
        if (exclude.some((prefix) => childRelative === prefix)) continue;
        walk(child, childRelative);
      } else if (entry.isFile() && EXTENSIONS.test(entry.name) && !/\.min\.[cm]?js$/.test(entry.name)) {
        const size = fs.statSync(child).size;
        if (size >= MIN_FILE_BYTES && size <= MAX_FILE_BYTES) found.push({ path: child, relative: childRelative, size });
      }
    }
  };
  walk(root, '');
  return found;
}

/** Renames folders that some tool would skip by default. */
export function corpusName(relative) {
  return relative.split('/').map((part, index, parts) => (index < parts.length - 1 && RENAME.has(part) ? `${part.replace(/^\./, '')}_` : part)).join('/');
}

/** Picks about `targetBytes` of candidates, evenly spread; returns [picked, rest]. */
export function spreadPick(candidates, targetBytes) {
  const total = candidates.reduce((sum, file) => sum + file.size, 0);
  if (total <= targetBytes) return [candidates, []];
  const picked = [];
  const rest = [];
  const share = targetBytes / total;
  let credit = 0;
  for (const file of candidates) {
    credit += share;
    if (credit >= 1) {
      credit -= 1;
      picked.push(file);
    } else {
      rest.push(file);
    }
  }
  return [picked, rest];
}
