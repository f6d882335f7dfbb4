// Writes the flat config for the ESLint set: eslint-plugin-security's recommended rules plus
// eslint-plugin-no-secrets, importing both from this repository's node_modules by absolute URL.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../paths.mjs';

const require = createRequire(path.join(repoRoot, 'package.json'));

/** The config as module text, for a file the ESLint CLI loads. */
export function eslintConfigSource() {
  const security = pathToFileURL(require.resolve('eslint-plugin-security')).href;
  const noSecrets = pathToFileURL(require.resolve('eslint-plugin-no-secrets')).href;
  return `import security from ${JSON.stringify(security)};
import noSecrets from ${JSON.stringify(noSecrets)};

export default [
  { languageOptions: { ecmaVersion: 'latest', sourceType: 'module' } },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
  security.configs.recommended,
  { plugins: { 'no-secrets': noSecrets }, rules: { 'no-secrets/no-secrets': 'error' } },
];
`;
}

export function writeEslintConfig(directory) {
  const file = path.join(directory, 'eslint.config.mjs');
  fs.mkdirSync(directory, { recursive: true });
  fs.writeFileSync(file, eslintConfigSource());
  return file;
}
