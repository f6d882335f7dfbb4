import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';
import { parseToml, tomlArray, tomlString, tomlTable, type TomlValue } from './parse/toml';
import { normalisePythonName } from './versions';
import type { Ecosystem } from './types';

/**
 * Direct dependencies as the manifests declare them, each with the line that declares it:
 * package.json (dependencies, devDependencies, optionalDependencies), requirements files,
 * pyproject.toml (PEP 621, dependency groups, Poetry) and Pipfile.
 */

export interface Dependency {
  /** npm name, or the PEP 503-normalised Python name. */
  name: string;
  /** The range or specifier as written ('' when none). */
  spec: string;
  ecosystem: Ecosystem;
  file: string;
  /** Zero-based line of the declaration. */
  line: number;
  dev: boolean;
}

export interface NodeManifest {
  file: string;
  name?: string;
  scripts: Record<string, { command: string; line: number }>;
  dependencies: Dependency[];
  /** Workspace globs when this package.json declares a monorepo. */
  workspaces?: string[];
  enginesNode?: { range: string; line: number };
  /** Whether the manifest has a top-level key (e.g. "renovate"). */
  keys: Map<string, number>;
}

function lineOfOffset(text: string, offset: number): number {
  let line = 0;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

export function readPackageJson(file: string, text: string): NodeManifest | undefined {
  const root = parseTree(text, [], { allowTrailingComma: true });
  if (!root || root.type !== 'object') return undefined;
  const keys = new Map<string, number>();
  for (const property of root.children ?? []) {
    const key = property.children?.[0];
    if (key) keys.set(String(key.value), lineOfOffset(text, key.offset));
  }
  const stringAt = (path: string[]) => {
    const node = findNodeAtLocation(root, path);
    return node?.type === 'string' ? String(node.value) : undefined;
  };
  const dependencies: Dependency[] = [];
  for (const [section, dev] of [['dependencies', false], ['devDependencies', true], ['optionalDependencies', false]] as const) {
    const node = findNodeAtLocation(root, [section]);
    if (node?.type !== 'object') continue;
    for (const property of node.children ?? []) {
      const [key, value] = property.children ?? [];
      if (!key) continue;
      dependencies.push({ name: String(key.value), spec: value?.type === 'string' ? String(value.value) : '', ecosystem: 'node', file, line: lineOfOffset(text, key.offset), dev });
    }
  }
  const scripts: NodeManifest['scripts'] = {};
  const scriptsNode = findNodeAtLocation(root, ['scripts']);
  if (scriptsNode?.type === 'object') {
    for (const property of scriptsNode.children ?? []) {
      const [key, value] = property.children ?? [];
      if (key && value?.type === 'string') scripts[String(key.value)] = { command: String(value.value), line: lineOfOffset(text, key.offset) };
    }
  }
  const workspacesNode = findNodeAtLocation(root, ['workspaces']);
  const workspaceList = workspacesNode?.type === 'array' ? workspacesNode : workspacesNode?.type === 'object' ? findNodeAtLocation(workspacesNode, ['packages']) : undefined;
  const workspaces = workspaceList?.type === 'array' ? (workspaceList.children ?? []).filter((child: Node) => child.type === 'string').map((child: Node) => String(child.value)) : undefined;
  const enginesNode = findNodeAtLocation(root, ['engines', 'node']);
  return {
    file,
    ...(stringAt(['name']) ? { name: stringAt(['name']) } : {}),
    scripts,
    dependencies,
    ...(workspaces ? { workspaces } : {}),
    ...(enginesNode?.type === 'string' ? { enginesNode: { range: String(enginesNode.value), line: lineOfOffset(text, enginesNode.offset) } } : {}),
    keys,
  };
}

/** Requirements files of a folder: requirements.txt, requirements-dev.txt, requirements/*.txt. */
export const REQUIREMENTS_FILE = /(?:^|\/)(?:requirements[\w.-]*\.txt|requirements\/[\w.-]+\.txt)$/i;
const DEV_REQUIREMENTS = /(?:dev|test|lint|doc|ci|local)/i;

export interface Requirement extends Dependency {
  /** The requirement pins one version (`==`/`===`) or carries hashes. */
  pinned: boolean;
}

export function readRequirements(file: string, text: string): Requirement[] {
  const requirements: Requirement[] = [];
  const dev = DEV_REQUIREMENTS.test(file.split('/').pop() ?? '');
  const lines = text.split(/\r?\n/);
  for (let number = 0; number < lines.length; number++) {
    const start = number;
    let line = lines[number];
    while (line.trimEnd().endsWith('\\') && number + 1 < lines.length) line = `${line.trimEnd().slice(0, -1)} ${lines[++number]}`;
    const content = line.replace(/(^|\s)#.*$/, '').trim();
    if (!content || content.startsWith('-') || /^[a-z+]+:\/\//i.test(content)) continue;
    const match = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(.*)$/.exec(content);
    if (!match) continue;
    const rest = match[2].split(';')[0].trim();
    if (rest.startsWith('@')) {
      requirements.push({ name: normalisePythonName(match[1]), spec: rest, ecosystem: 'python', file, line: start, dev, pinned: /@[^@]*(?:#|\.git@)[0-9a-f]{7,}|\.(?:whl|tar\.gz)$/i.test(rest) });
      continue;
    }
    const spec = rest.replace(/\s*--hash[= ]\S+/g, '').trim();
    requirements.push({ name: normalisePythonName(match[1]), spec, ecosystem: 'python', file, line: start, dev, pinned: /^===?\s*[^*,]+$/.test(spec) || /--hash[= ]/.test(rest) });
  }
  return requirements;
}

/** Splits a PEP 508 requirement ("uvicorn[standard]>=0.30; python_version>'3.8'") into name and specifier. */
export function parsePep508(requirement: string): { name: string; spec: string } | undefined {
  const match = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*\(?([^;@)]*)\)?/.exec(requirement);
  if (!match) return undefined;
  return { name: normalisePythonName(match[1]), spec: match[2].trim() };
}

export interface PyProject {
  name?: string;
  dependencies: Dependency[];
  requiresPython?: { spec: string; line: number };
  /** Managed by Poetry (tool.poetry section), uv workspace root, etc. */
  poetry: boolean;
  uvWorkspace: boolean;
}

export function readPyProject(file: string, text: string): PyProject {
  const document = parseToml(text);
  const root = document.value;
  const project = tomlTable(root.project);
  const poetry = tomlTable(tomlTable(root.tool)?.poetry);
  const dependencies: Dependency[] = [];
  const lineOf = (needle: string, fallback: string) => {
    const index = text.indexOf(needle);
    return index >= 0 ? lineOfOffset(text, index) : document.lines.get(fallback) ?? 0;
  };
  const addPep508 = (items: TomlValue[], dev: boolean, section: string) => {
    for (const item of items) {
      if (typeof item !== 'string') continue;
      const parsed = parsePep508(item);
      if (parsed) dependencies.push({ ...parsed, ecosystem: 'python', file, line: lineOf(`"${item}`, section), dev });
    }
  };
  if (project) {
    addPep508(tomlArray(project.dependencies), false, 'project.dependencies');
    for (const [group, items] of Object.entries(tomlTable(project['optional-dependencies']) ?? {})) addPep508(tomlArray(items), /dev|test|lint/i.test(group), `project.optional-dependencies.${group}`);
  }
  for (const [group, items] of Object.entries(tomlTable(root['dependency-groups']) ?? {})) addPep508(tomlArray(items), true, `dependency-groups.${group}`);
  const addPoetry = (table: TomlValue | undefined, dev: boolean, prefix: string) => {
    for (const [name, value] of Object.entries(tomlTable(table) ?? {})) {
      if (name.toLowerCase() === 'python') continue;
      const spec = typeof value === 'string' ? value : tomlString(tomlTable(value)?.version) ?? '';
      dependencies.push({ name: normalisePythonName(name.replace(/\[.*$/, '')), spec, ecosystem: 'python', file, line: document.lines.get(`${prefix}.${name}`) ?? 0, dev });
    }
  };
  if (poetry) {
    addPoetry(poetry.dependencies, false, 'tool.poetry.dependencies');
    addPoetry(poetry['dev-dependencies'], true, 'tool.poetry.dev-dependencies');
    for (const [group, table] of Object.entries(tomlTable(poetry.group) ?? {})) addPoetry(tomlTable(table)?.dependencies, true, `tool.poetry.group.${group}.dependencies`);
  }
  const requiresPython = tomlString(project?.['requires-python']) ?? tomlString(tomlTable(poetry?.dependencies)?.python);
  const requiresLine = project?.['requires-python'] !== undefined ? document.lines.get('project.requires-python') : document.lines.get('tool.poetry.dependencies.python');
  const name = tomlString(project?.name) ?? tomlString(poetry?.name);
  return {
    ...(name ? { name } : {}),
    dependencies,
    ...(requiresPython ? { requiresPython: { spec: requiresPython, line: requiresLine ?? 0 } } : {}),
    poetry: poetry !== undefined,
    uvWorkspace: tomlTable(tomlTable(tomlTable(root.tool)?.uv)?.workspace) !== undefined,
  };
}

export function readPipfile(file: string, text: string): Dependency[] {
  const document = parseToml(text);
  const dependencies: Dependency[] = [];
  for (const [section, dev] of [['packages', false], ['dev-packages', true]] as const) {
    for (const [name, value] of Object.entries(tomlTable(document.value[section]) ?? {})) {
      const spec = typeof value === 'string' ? value : tomlString(tomlTable(value)?.version) ?? '';
      dependencies.push({ name: normalisePythonName(name), spec: spec === '*' ? '' : spec, ecosystem: 'python', file, line: document.lines.get(`${section}.${name}`) ?? 0, dev });
    }
  }
  return dependencies;
}
