// The hard files: a 5 MB webpack-style bundle, a 1 MB minified file and a 10,000-line module.
// The bundle and the minified file each ship one key to the browser, as real ones do.
import * as fs from 'node:fs';
import { transformSync } from 'esbuild';
import { SourceWriter } from './sourceWriter.mjs';

/** A development bundle: module sources wrapped in webpack's function boilerplate, about `bytes` long. */
export function bundleFile(relative, sources, bytes, secret) {
  const w = new SourceWriter(relative).add('/******/ (() => { // webpackBootstrap\n/******/ \tvar __webpack_modules__ = ({');
  let size = 0;
  let seeded = false;
  for (const source of sources) {
    if (size >= bytes) break;
    const text = fs.readFileSync(source.path, 'utf8');
    w.add(`\n/***/ "./node_modules/${source.relative}":\n/***/ ((module, exports, __webpack_require__) => {\n\n${text}\n\n/***/ }),`);
    size += text.length + 120;
    if (!seeded && size >= bytes / 2) {
      seeded = true;
      w.add('\n/***/ "./src/config.js":\n/***/ ((module) => {\n');
      w.add(`module.exports = { apiBase: "/api", openaiKey: "${secret}" };`, { kind: 'secret', what: 'openai key in bundle' });
      w.add('\n/***/ }),');
    }
  }
  w.add('/******/ \t});\n/******/ })();');
  return w;
}

/** Real package sources minified with esbuild and joined on one line, about `bytes` long. */
export function minifiedFile(relative, sources, bytes, secret) {
  const parts = [];
  let size = 0;
  let seedAt = -1;
  for (const source of sources) {
    if (size >= bytes) break;
    let code;
    try {
      code = transformSync(fs.readFileSync(source.path, 'utf8'), { minify: true, loader: 'js', format: 'cjs', logLevel: 'silent' }).code;
    } catch {
      continue;
    }
    parts.push(`(function(){${code.replace(/\n/g, ' ')}})();`);
    size += code.length + 16;
    if (seedAt < 0 && size >= bytes / 2) {
      seedAt = parts.length;
      parts.push(`var gh={token:"${secret}"};`);
    }
  }
  const w = new SourceWriter(relative);
  w.add(parts.join(''), seedAt >= 0 ? { kind: 'secret', what: 'github token in minified file' } : undefined);
  return w;
}

/** A 10,000-line data-access module, with two keys pasted deep inside it. */
export function bigModule(relative, lines, secrets) {
  const w = new SourceWriter(relative).add(`import { pool } from '../lib/db.js';\nimport { cache } from '../lib/cache.js';\n`);
  const names = ['product', 'variant', 'price', 'stock', 'warehouse', 'supplier', 'category', 'bundle', 'discount', 'review'];
  for (let k = 0; w.lineCount < lines - 11; k++) {
    const name = names[k % names.length];
    if (k === 400) w.add(`const AWS_ACCESS_KEY_ID = '${secrets.awsKeyId}';`, { kind: 'secret', what: 'aws key id in 10k-line file' });
    if (k === 790) w.add(`const STRIPE_KEY = '${secrets.stripe}';`, { kind: 'secret', what: 'stripe in 10k-line file' });
    w.add(`export async function load${name[0].toUpperCase()}${name.slice(1)}${k}(id, options = {}) {
  const cacheKey = \`${name}:${k}:\${id}\`;
  const cached = cache.get(cacheKey);
  if (cached && !options.fresh) return cached;
  const { rows } = await pool.query('SELECT * FROM ${name}s WHERE id = $1 AND revision >= $2', [id, ${k % 7}]);
  const value = rows.length ? { ...rows[0], loadedAt: Date.now() } : null;
  if (value) cache.set(cacheKey, value, ${60 + (k % 5) * 30});
  return value;
}
`);
  }
  while (w.lineCount < lines) w.add('// end of generated loaders');
  return w;
}
