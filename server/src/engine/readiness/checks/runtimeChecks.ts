import { parseDockerfile, DEVELOPMENT_DOCKERFILE, DOCKERFILE_NAME } from '../parse/dockerfile';
import { parseToml, tomlString, tomlTable } from '../parse/toml';
import type { Evidence, Verdict } from '../types';
import { majorBounds } from '../versions';
import type { CheckContext } from './context';

/**
 * End-of-life runtimes get no security fixes. The versions a unit declares (package.json
 * engines, .nvmrc, .node-version, .tool-versions, Dockerfile base images, runtime.txt,
 * .python-version, requires-python, serverless/App Engine runtimes) are compared with the
 * end-of-life table in the rule file, at the date the assessment is made.
 */

interface Cycle {
  cycle: string;
  eol: string;
}

interface Declared {
  runtime: 'node' | 'python';
  /** "16" for Node.js, "3.8" for Python. */
  cycle: string;
  file: string;
  line: number;
  /** The declaration still allows newer, supported versions (engines ">=16"). */
  openEnded?: boolean;
  source: string;
}

const NODE_LTS: Record<string, string> = { argon: '4', boron: '6', carbon: '8', dubnium: '10', erbium: '12', fermium: '14', gallium: '16', hydrogen: '18', iron: '20', jod: '22', krypton: '24' };

export function eolRuntime(context: CheckContext): Verdict {
  const unit = context.scope.unit;
  if (unit.ecosystems.length === 0) return { status: 'pass', evidence: [], notApplicable: true, reason: 'No Node.js or Python manifest here.' };
  const tables = { node: (context.parameters.node ?? []) as Cycle[], python: (context.parameters.python ?? []) as Cycle[] };
  const declared = declaredRuntimes(context);
  if (declared.length === 0) return { status: 'unknown', evidence: [], reason: 'No runtime version is pinned (package.json engines, .nvmrc, Dockerfile base image, runtime.txt, requires-python…), so Shipshape cannot tell which version runs in production.' };
  const now = context.input.now.getTime();
  const failures: Evidence[] = [];
  const passes: Evidence[] = [];
  const soon: string[] = [];
  for (const item of declared) {
    const label = item.runtime === 'node' ? `Node.js ${item.cycle}` : `Python ${item.cycle}`;
    const eol = eolDate(tables[item.runtime], item.cycle);
    const at = (description: string) => context.workspace.evidenceAtLine(item.file, item.line, description);
    if (eol === undefined) {
      passes.push(at(`${item.source}: ${label}`));
    } else if (eol.getTime() <= now && !item.openEnded) {
      failures.push(at(`${item.source}: ${label} reached end of life on ${eol.toISOString().slice(0, 10)} and gets no security fixes`));
    } else {
      passes.push(at(`${item.source}: ${label}${item.openEnded ? ' or newer' : ''}`));
      if (!item.openEnded && eol.getTime() - now < 1000 * 60 * 60 * 24 * 120) soon.push(`${label} reaches end of life on ${eol.toISOString().slice(0, 10)}`);
    }
  }
  if (failures.length) return { status: 'fail', evidence: failures.slice(0, 10) };
  return { status: 'pass', evidence: passes.slice(0, 10), ...(soon.length ? { reason: `Plan an upgrade: ${soon.join('; ')}.` } : {}) };
}

/** End of life of a cycle; cycles older than the table are long dead, newer ones are current. */
function eolDate(table: Cycle[], cycle: string): Date | undefined {
  const entry = table.find((candidate) => candidate.cycle === cycle);
  if (entry) return new Date(`${entry.eol}T00:00:00Z`);
  const numeric = (value: string) => value.split('.').map(Number);
  const oldest = table.reduce<Cycle | undefined>((min, candidate) => (!min || compareCycles(numeric(candidate.cycle), numeric(min.cycle)) < 0 ? candidate : min), undefined);
  if (oldest && compareCycles(numeric(cycle), numeric(oldest.cycle)) < 0) return new Date(`${oldest.eol}T00:00:00Z`);
  return undefined;
}

function compareCycles(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

function nodeCycle(version: string): string | undefined {
  const trimmed = version.trim().replace(/^v/, '');
  const lts = /^lts\/(\w+)$/i.exec(trimmed);
  if (lts) return NODE_LTS[lts[1].toLowerCase()];
  const major = /^(\d+)(?:\.|$|-)/.exec(trimmed);
  return major ? major[1] : undefined;
}

function pythonCycle(version: string): string | undefined {
  const match = /^(?:python-?)?(\d)\.(\d+)/i.exec(version.trim());
  return match ? `${match[1]}.${match[2]}` : undefined;
}

function declaredRuntimes(context: CheckContext): Declared[] {
  const unit = context.scope.unit;
  const declared: Declared[] = [];
  const workspace = context.workspace;
  const engines = unit.packageJson?.enginesNode;
  if (engines && unit.packageJson) {
    const bounds = majorBounds(engines.range);
    if (bounds && bounds.highest !== undefined && bounds.highest >= 0) {
      declared.push({ runtime: 'node', cycle: String(bounds.highest), file: unit.packageJson.file, line: engines.line, source: `engines.node "${engines.range}"` });
    } else if (bounds && bounds.lowest !== undefined) {
      declared.push({ runtime: 'node', cycle: String(bounds.lowest), file: unit.packageJson.file, line: engines.line, openEnded: true, source: `engines.node "${engines.range}"` });
    }
  }
  for (const file of context.scope.files) {
    const name = file.local.split('/').pop() ?? '';
    const lower = name.toLowerCase();
    if (lower === '.nvmrc' || lower === '.node-version') {
      const text = workspace.read(file.path)?.trim() ?? '';
      const cycle = nodeCycle(text.split(/\s/)[0] ?? '');
      if (cycle) declared.push({ runtime: 'node', cycle, file: file.path, line: 0, source: name });
    } else if (lower === '.python-version' || lower === 'runtime.txt') {
      const text = workspace.read(file.path)?.trim() ?? '';
      const cycle = pythonCycle(text.split(/\s/)[0] ?? '');
      if (cycle) declared.push({ runtime: 'python', cycle, file: file.path, line: 0, source: name });
    } else if (lower === '.tool-versions') {
      (workspace.read(file.path) ?? '').split(/\r?\n/).forEach((line, number) => {
        const match = /^\s*(nodejs|node|python)\s+(\S+)/.exec(line);
        if (!match) return;
        const cycle = match[1] === 'python' ? pythonCycle(match[2]) : nodeCycle(match[2]);
        if (cycle) declared.push({ runtime: match[1] === 'python' ? 'python' : 'node', cycle, file: file.path, line: number, source: '.tool-versions' });
      });
    } else if (DOCKERFILE_NAME.test(file.local) && !DEVELOPMENT_DOCKERFILE.test(name)) {
      const { stages } = parseDockerfile(workspace.read(file.path) ?? '');
      const aliases = new Map(stages.filter((stage) => stage.alias).map((stage) => [stage.alias!.toLowerCase(), stage]));
      let stage = stages[stages.length - 1];
      for (let hops = 0; stage && aliases.has(stage.base.toLowerCase()) && hops < 10; hops++) stage = aliases.get(stage.base.toLowerCase())!;
      if (!stage) continue;
      const image = imageRuntime(stage.base);
      if (image) declared.push({ ...image, file: file.path, line: stage.line, source: `FROM ${stage.base}` });
    } else if (/^(?:serverless\.ya?ml|template\.ya?ml|app\.ya?ml)$/.test(lower)) {
      (workspace.read(file.path) ?? '').split(/\r?\n/).forEach((line, number) => {
        const match = /^\s*runtime:\s*["']?(nodejs|python)(\d+)(?:\.(\d+|x))?/i.exec(line);
        if (!match) return;
        if (match[1].toLowerCase() === 'nodejs') declared.push({ runtime: 'node', cycle: match[2], file: file.path, line: number, source: `${name} runtime` });
        else {
          const digits = match[3] && match[3] !== 'x' ? `${match[2]}.${match[3]}` : match[2].length > 1 ? `${match[2][0]}.${match[2].slice(1)}` : undefined;
          if (digits) declared.push({ runtime: 'python', cycle: digits, file: file.path, line: number, source: `${name} runtime` });
        }
      });
    } else if (lower === 'pipfile') {
      const document = parseToml(workspace.read(file.path) ?? '');
      const version = tomlString(tomlTable(document.value.requires)?.python_version);
      const cycle = version ? pythonCycle(version) : undefined;
      if (cycle) declared.push({ runtime: 'python', cycle, file: file.path, line: document.lines.get('requires.python_version') ?? 0, source: 'Pipfile python_version' });
    } else if (lower === 'netlify.toml') {
      (workspace.read(file.path) ?? '').split(/\r?\n/).forEach((line, number) => {
        const match = /^\s*NODE_VERSION\s*=\s*["']?v?(\d+)/.exec(line);
        if (match) declared.push({ runtime: 'node', cycle: match[1], file: file.path, line: number, source: 'netlify.toml NODE_VERSION' });
      });
    }
  }
  const requires = unit.pyproject?.requiresPython;
  const pyprojectFile = unit.manifests.find((file) => file.endsWith('pyproject.toml'));
  if (requires && pyprojectFile) {
    const highest = highestPythonAllowed(requires.spec);
    const lowest = /(?:>=|~=|\^|==)\s*(\d+\.\d+)/.exec(requires.spec)?.[1];
    if (highest) declared.push({ runtime: 'python', cycle: highest, file: pyprojectFile, line: requires.line, source: `requires-python "${requires.spec}"` });
    else if (lowest) declared.push({ runtime: 'python', cycle: lowest, file: pyprojectFile, line: requires.line, openEnded: true, source: `requires-python "${requires.spec}"` });
  }
  return declared;
}

function imageRuntime(image: string): { runtime: 'node' | 'python'; cycle: string } | undefined {
  const node = /(?:^|\/)(?:node|nodejs):v?(\d+)(?:[.\-_]|$)/i.exec(image);
  if (node) return { runtime: 'node', cycle: node[1] };
  const python = /(?:^|\/)python:(\d)\.(\d+)(?:[.\-_]|$)/i.exec(image);
  if (python) return { runtime: 'python', cycle: `${python[1]}.${python[2]}` };
  return undefined;
}

/** The newest Python a requires-python specifier allows, when it has an upper bound. */
function highestPythonAllowed(spec: string): string | undefined {
  const exact = /==\s*(\d+)\.(\d+)(?:\.\*|\.\d+)?\s*$/.exec(spec.trim());
  if (exact && !spec.includes(',')) return `${exact[1]}.${exact[2]}`;
  const compatible = /~=\s*(\d+)\.(\d+)\.\d+/.exec(spec);
  if (compatible) return `${compatible[1]}.${compatible[2]}`;
  const below = /<\s*(\d+)\.(\d+)(?!\.\d*[1-9])/.exec(spec);
  if (below) return Number(below[2]) > 0 ? `${below[1]}.${Number(below[2]) - 1}` : undefined;
  const atMost = /<=\s*(\d+)\.(\d+)/.exec(spec);
  if (atMost) return `${atMost[1]}.${atMost[2]}`;
  return undefined;
}
