import { findLockfile, NODE_LOCKFILES, PYTHON_LOCKFILES, readLockfile, type Lockfile } from '../lockfiles';
import type { Dependency } from '../manifests';
import type { Evidence, Verdict } from '../types';
import { npmRangeOf, satisfiesNpmRange, satisfiesPythonSpecifier } from '../versions';
import type { CheckContext } from './context';

/**
 * A lockfile makes every install the same: present, and in step with the manifest (each
 * direct dependency is in it, at a version the manifest's range allows). Python without a
 * lockfile passes when every requirement is pinned (`==`, or hashes).
 */

const MAX = 10;

export function lockfileCheck(context: CheckContext): Verdict {
  const unit = context.scope.unit;
  const files = new Set(context.workspace.files);
  const evidence: Evidence[] = [];
  const problems: Evidence[] = [];
  const notes: string[] = [];
  const passNotes: string[] = [];
  let decided = false;

  const nodeDependencies = unit.dependencies.filter((dependency) => dependency.ecosystem === 'node');
  if (unit.packageJson) {
    const found = findLockfile(files, unit.path, NODE_LOCKFILES);
    if (!found) {
      if (nodeDependencies.length > 0) {
        problems.push(context.workspace.evidenceAtLine(unit.packageJson.file, 0, `${unit.packageJson.file} has ${plural(nodeDependencies.length, 'dependency', 'dependencies')} and no lockfile (package-lock.json, pnpm-lock.yaml, yarn.lock or bun.lock)`));
      }
    } else {
      decided = true;
      const lockfile = readLockfile(found.file, context.workspace.read(found.file));
      const unitKey = found.folder === unit.path ? '' : found.folder === '.' ? unit.path : unit.path.slice(found.folder.length + 1);
      if (lockfile.kind === 'bun-binary') passNotes.push(`${found.file} is binary, so whether it matches package.json was not checked (bun 1.2+ writes a readable bun.lock)`);
      else if (!lockfile.readable) notes.push(`${found.file} could not be read to compare it with package.json`);
      else problems.push(...nodeSync(context, lockfile, unitKey, nodeDependencies));
      evidence.push(context.workspace.evidenceAtLine(found.file, 0, `${found.file} locks the dependencies`));
    }
  }

  const pythonDependencies = unit.dependencies.filter((dependency) => dependency.ecosystem === 'python' && !dependency.dev);
  if (unit.ecosystems.includes('python')) {
    const found = findLockfile(files, unit.path, PYTHON_LOCKFILES);
    const requirements = unit.requirements.filter((requirement) => !requirement.dev);
    if (found) {
      decided = true;
      const lockfile = readLockfile(found.file, context.workspace.read(found.file));
      evidence.push(context.workspace.evidenceAtLine(found.file, 0, `${found.file} locks the dependencies`));
      if (!lockfile.readable) notes.push(`${found.file} could not be read`);
      else {
        const declared = [...(unit.pyproject?.dependencies ?? []), ...unit.dependencies.filter((dependency) => dependency.file.endsWith('Pipfile'))].filter((dependency) => !dependency.dev);
        problems.push(...pythonSync(context, lockfile, declared));
      }
    } else if (requirements.length > 0) {
      decided = true;
      const loose = requirements.filter((requirement) => !requirement.pinned);
      if (loose.length) {
        problems.push(...loose.slice(0, MAX).map((requirement) => context.workspace.evidenceAtLine(requirement.file, requirement.line, `${requirement.name}${requirement.spec ? ` ${requirement.spec}` : ''} is not pinned to one version`)));
      } else {
        evidence.push(context.workspace.evidenceAtLine(requirements[0].file, 0, `Every requirement in ${[...new Set(requirements.map((r) => r.file))].join(', ')} is pinned`));
      }
    } else if (pythonDependencies.length > 0) {
      const manifest = pythonDependencies[0].file;
      problems.push(context.workspace.evidenceAtLine(manifest, 0, `${manifest} declares ${plural(pythonDependencies.length, 'dependency', 'dependencies')} and there is no lockfile (poetry.lock, uv.lock, Pipfile.lock) or pinned requirements.txt`));
    }
  }

  if (problems.length) return { status: 'fail', evidence: problems.slice(0, MAX), reason: decided ? 'The lockfile does not match the manifest: installs may differ from what was tested.' : 'No lockfile: each install may pick different versions.' };
  if (!decided) {
    if (unit.ecosystems.length === 0) return { status: 'pass', evidence: [], notApplicable: true, reason: 'No package manifest here.' };
    return { status: 'pass', evidence: [], notApplicable: true, reason: 'No dependencies to lock.' };
  }
  if (notes.length) return { status: 'unknown', evidence, reason: `${notes.join('; ')}.` };
  return { status: 'pass', evidence, ...(passNotes.length ? { reason: `${passNotes.join('; ')}.` } : {}) };
}

function nodeSync(context: CheckContext, lockfile: Lockfile, unitKey: string, dependencies: Dependency[]): Evidence[] {
  const problems: Evidence[] = [];
  for (const dependency of dependencies) {
    const range = npmRangeOf(dependency.spec);
    if (range === undefined) continue;
    const locked = lockfile.lookup(unitKey, dependency.name, dependency.spec);
    const at = (description: string) => context.workspace.evidenceAtLine(dependency.file, dependency.line, description);
    if (!locked) {
      problems.push(at(`${dependency.name} ${dependency.spec} is in package.json but not in ${lockfile.file}`));
    } else if (locked.declared !== undefined && locked.declared !== dependency.spec) {
      problems.push(at(`${dependency.name}: package.json asks for ${dependency.spec}, ${lockfile.file} was made for ${locked.declared}`));
    } else if (locked.version && satisfiesNpmRange(locked.version, range) === false) {
      problems.push(at(`${dependency.name}: ${lockfile.file} has ${locked.version}, outside ${dependency.spec}`));
    }
  }
  return problems;
}

function pythonSync(context: CheckContext, lockfile: Lockfile, dependencies: Dependency[]): Evidence[] {
  const problems: Evidence[] = [];
  for (const dependency of dependencies) {
    if (dependency.spec.startsWith('@') || /^(?:git|https?|file|path)[+:]/.test(dependency.spec)) continue;
    const locked = lockfile.lookup('', dependency.name, dependency.spec);
    const at = (description: string) => context.workspace.evidenceAtLine(dependency.file, dependency.line, description);
    if (!locked) problems.push(at(`${dependency.name} is declared in ${dependency.file} but not in ${lockfile.file}`));
    else if (locked.version && dependency.spec && satisfiesPythonSpecifier(locked.version, dependency.spec) === false) {
      problems.push(at(`${dependency.name}: ${lockfile.file} has ${locked.version}, outside ${dependency.spec}`));
    }
  }
  return problems;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}
