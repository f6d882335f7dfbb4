import * as fs from 'node:fs';
import * as path from 'node:path';

const MANIFESTS = ['package.json', 'requirements.txt', 'pyproject.toml', 'Pipfile'];

/**
 * The packages each project depends on (package.json, requirements.txt, pyproject.toml,
 * Pipfile), so fixes can use what the project already has (zod, the SQL driver). Read once
 * per project root and cached; `forget` drops a root whose manifest changed.
 */
export class ProjectDependencies {
  private readonly cache = new Map<string, ReadonlySet<string>>();
  /** Directory → the manifest folder above it, so each directory is looked at once. */
  private readonly roots = new Map<string, string | null>();

  constructor(private readonly read: (file: string) => string | undefined, private readonly exists: (file: string) => boolean = fs.existsSync) {}

  of(file: string, workspaceRoot: string | undefined): ReadonlySet<string> {
    const root = this.manifestFolder(path.dirname(file), workspaceRoot, 0) ?? workspaceRoot ?? path.dirname(file);
    let dependencies = this.cache.get(root);
    if (!dependencies) {
      dependencies = this.load(root);
      this.cache.set(root, dependencies);
    }
    return dependencies;
  }

  forget(): void {
    this.cache.clear();
    this.roots.clear();
  }

  /** The nearest folder at or above `directory` (not above `stop`) holding a manifest. */
  private manifestFolder(directory: string, stop: string | undefined, depth: number): string | undefined {
    const known = this.roots.get(directory);
    if (known !== undefined) return known ?? undefined;
    let found: string | undefined;
    if (MANIFESTS.some((manifest) => this.exists(path.join(directory, manifest)))) found = directory;
    else {
      const parent = path.dirname(directory);
      if (parent !== directory && depth < 40 && directory !== stop) found = this.manifestFolder(parent, stop, depth + 1);
    }
    this.roots.set(directory, found ?? null);
    return found;
  }

  private load(root: string): ReadonlySet<string> {
    const names = new Set<string>();
    const manifest = this.read(path.join(root, 'package.json'));
    if (manifest) {
      try {
        const json = JSON.parse(manifest) as Record<string, Record<string, string> | undefined>;
        for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
          for (const name of Object.keys(json[field] ?? {})) names.add(name);
        }
      } catch {
        // An unreadable manifest just gives no dependencies.
      }
    }
    for (const file of ['requirements.txt', 'pyproject.toml', 'Pipfile']) {
      const text = this.read(path.join(root, file));
      if (!text) continue;
      for (const match of text.matchAll(/^\s*"?([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*(?:[=<>!~^,;"]|$)/gm)) names.add(match[1].toLowerCase());
    }
    return names;
  }
}
