import * as fs from 'node:fs';
import * as path from 'node:path';

const MANIFESTS = ['package.json', 'pyproject.toml', 'requirements.txt', 'Pipfile', 'go.mod', 'Gemfile', 'composer.json', 'Cargo.toml', 'pom.xml', 'build.gradle', '.env', '.git'];

/**
 * The folder an app runs from: the nearest folder above `file` with a manifest (or .env),
 * not above the workspace folder. That is where its .env belongs.
 */
export function projectRootOf(file: string, workspaceRoot: string | undefined, exists: (candidate: string) => boolean = fs.existsSync): string {
  let directory = path.dirname(file);
  const stop = workspaceRoot ?? path.parse(directory).root;
  for (;;) {
    if (MANIFESTS.some((manifest) => exists(path.join(directory, manifest)))) return directory;
    if (directory === stop || !directory.startsWith(stop)) break;
    const parent = path.dirname(directory);
    if (parent === directory) break;
    directory = parent;
  }
  return workspaceRoot ?? path.dirname(file);
}

/** Dependencies that load .env into the environment for the app, so moving a key there just works. */
const ENV_LOADERS = ['dotenv', 'dotenv-flow', '@dotenvx/dotenvx', 'next', 'vite', 'nuxt', '@remix-run/dev', '@sveltejs/kit', 'astro', 'expo', '@nestjs/config', 'react-scripts', 'env-cmd', 'dotenv-cli', 'python-dotenv', 'django-environ', 'environs', 'pydantic-settings'];

/** Whether the project at `root` visibly loads .env files (by dependency or start script). */
export function projectLoadsDotenv(root: string, read: (file: string) => string | undefined): boolean {
  const manifest = read(path.join(root, 'package.json'));
  if (manifest) {
    try {
      const json = JSON.parse(manifest) as Record<string, Record<string, string> | undefined>;
      const dependencies = { ...json.dependencies, ...json.devDependencies };
      if (ENV_LOADERS.some((name) => name in dependencies)) return true;
      if (Object.values(json.scripts ?? {}).some((script) => /--env-file|dotenv/.test(String(script)))) return true;
    } catch {
      // An unreadable package.json says nothing either way.
    }
  }
  for (const pythonManifest of ['requirements.txt', 'pyproject.toml', 'Pipfile']) {
    const text = read(path.join(root, pythonManifest));
    if (text && /python-dotenv|django-environ|environs|pydantic-settings/i.test(text)) return true;
  }
  return false;
}
