import ignore from 'ignore';
import { patternFound } from '../declarative';
import { DEVELOPMENT_DOCKERFILE, DOCKERFILE_NAME, keyValuePairs, parseDockerfile, type DockerStage } from '../parse/dockerfile';
import type { Evidence, Verdict } from '../types';
import { folderOf } from '../units';
import type { ScopedFile } from '../workspace';
import { stringParameter, type CheckContext } from './context';

/** Dockerfiles of the unit that build production images (not Dockerfile.dev and the like). */
function productionDockerfiles(context: CheckContext): ScopedFile[] {
  return context.scope.files.filter((file) => DOCKERFILE_NAME.test(file.local) && !DEVELOPMENT_DOCKERFILE.test(file.local.split('/').pop() ?? '') && !/(?:^|\/)\.devcontainer\//.test(file.local));
}

/**
 * The image runs as root unless its final stage (or the stage it builds on) switches to
 * another user, or starts from an image that is non-root by default.
 */
export function dockerfileRootUser(context: CheckContext): Verdict {
  const dockerfiles = productionDockerfiles(context);
  if (dockerfiles.length === 0) return { status: 'pass', evidence: [], notApplicable: true, reason: 'No Dockerfile in this unit.' };
  const nonRootImage = stringParameter(context, 'nonRootImagePattern');
  const failures: Evidence[] = [];
  const passes: Evidence[] = [];
  const unsure: Evidence[] = [];
  for (const file of dockerfiles) {
    const text = context.workspace.read(file.path);
    if (text === undefined) continue;
    const { stages } = parseDockerfile(text);
    if (stages.length === 0) continue;
    const verdict = finalUser(stages, nonRootImage);
    const description = verdict.user === undefined
      ? `${file.path}: no USER instruction, so the container runs as root`
      : verdict.root
        ? `${file.path}: USER ${verdict.user} runs the container as root`
        : `${file.path}: runs as ${verdict.user}`;
    const evidence = context.workspace.evidenceAtLine(file.path, verdict.line, description);
    if (verdict.unresolved) unsure.push({ ...evidence, description: `${file.path}: USER ${verdict.user} comes from a build argument Shipshape cannot resolve` });
    else if (verdict.root) failures.push(evidence);
    else passes.push(evidence);
  }
  if (failures.length) return { status: 'fail', evidence: failures };
  if (unsure.length) return { status: 'unknown', evidence: unsure, reason: 'The user is set from a build argument without a default.' };
  if (passes.length) return { status: 'pass', evidence: passes };
  return { status: 'unknown', evidence: [], reason: 'The Dockerfile could not be read.' };
}

function finalUser(stages: DockerStage[], nonRootImage: string): { user?: string; root: boolean; line: number; unresolved?: boolean } {
  const byAlias = new Map(stages.filter((stage) => stage.alias).map((stage) => [stage.alias!.toLowerCase(), stage]));
  let stage: DockerStage | undefined = stages[stages.length - 1];
  const seen = new Set<DockerStage>();
  while (stage && !seen.has(stage)) {
    seen.add(stage);
    const variables = new Map<string, string>();
    let user: { value: string; line: number } | undefined;
    for (const instruction of stage.instructions) {
      if (instruction.keyword === 'ARG' || instruction.keyword === 'ENV') {
        for (const pair of keyValuePairs(instruction.args, instruction.keyword)) if (pair.value !== undefined) variables.set(pair.name, pair.value);
      }
      if (instruction.keyword === 'USER') user = { value: instruction.args.trim(), line: instruction.line };
    }
    if (user) {
      const resolved = user.value.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}?/g, (_all, name: string, fallback?: string) => variables.get(name) ?? fallback ?? `\u0000`);
      if (resolved.includes('\u0000')) return { user: user.value, root: false, line: user.line, unresolved: true };
      const name = resolved.split(':')[0].trim().toLowerCase();
      return { user: resolved, root: name === 'root' || name === '0', line: user.line };
    }
    if (patternFound(nonRootImage, stage.base, 'i')) return { user: `the image's default user (${stage.base})`, root: false, line: stage.line };
    const parent = byAlias.get(stage.base.toLowerCase());
    if (!parent) return { root: true, line: stages[stages.length - 1].line };
    stage = parent;
  }
  return { root: true, line: stages[stages.length - 1].line };
}

/**
 * Secrets written into an image stay in its layers and history for anyone who can pull it:
 * ENV or ARG with secret-looking names, COPY/ADD of .env files, and `COPY . .` when a .env
 * sits in the build context and .dockerignore does not leave it out.
 */
export function dockerfileBakedSecrets(context: CheckContext): Verdict {
  const dockerfiles = productionDockerfiles(context);
  if (dockerfiles.length === 0) return { status: 'pass', evidence: [], notApplicable: true, reason: 'No Dockerfile in this unit.' };
  const secretName = stringParameter(context, 'secretNamePattern');
  const publicName = stringParameter(context, 'publicNamePattern');
  const envSource = stringParameter(context, 'envSourcePattern');
  const template = stringParameter(context, 'templatePattern');
  const evidence: Evidence[] = [];
  for (const file of dockerfiles) {
    const text = context.workspace.read(file.path);
    if (text === undefined) continue;
    const { stages, preamble } = parseDockerfile(text);
    const finalStage = stages[stages.length - 1];
    for (const instruction of [...preamble, ...stages.flatMap((stage) => stage.instructions)]) {
      if (instruction.keyword === 'ENV' || instruction.keyword === 'ARG') {
        for (const pair of keyValuePairs(instruction.args, instruction.keyword)) {
          if (!patternFound(secretName, pair.name, 'i') || patternFound(publicName, pair.name, 'i')) continue;
          // Earlier stages of a multi-stage build do not reach the final image or its history.
          const inFinal = finalStage?.instructions.includes(instruction) || preamble.includes(instruction);
          if (!inFinal && stages.length > 1) continue;
          evidence.push(context.workspace.evidenceAtLine(file.path, instruction.line, `${instruction.keyword} ${pair.name} puts a secret into the image${instruction.keyword === 'ARG' ? ' history' : ''}`));
        }
      } else if (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') {
        const parts = instruction.args.split(/\s+/).filter((part) => part && !part.startsWith('--'));
        const sources = parts.slice(0, -1);
        if (sources.some((source) => {
          const name = source.split('/').pop() ?? source;
          return patternFound(envSource, name, 'i') && !patternFound(template, name, 'i');
        })) {
          evidence.push(context.workspace.evidenceAtLine(file.path, instruction.line, `${instruction.keyword} copies a .env file into the image`));
        } else if (sources.some((source) => source === '.' || source === './') && envFileInContext(context, folderOf(file.path))) {
          evidence.push(context.workspace.evidenceAtLine(file.path, instruction.line, `${instruction.keyword} . copies the whole folder, including its .env file (not excluded by .dockerignore)`));
        }
      }
    }
  }
  if (evidence.length) return { status: 'fail', evidence: evidence.slice(0, 10) };
  return { status: 'pass', evidence: [], reason: 'No secret is written into the image.' };
}

/** A .env file in the build context that .dockerignore does not exclude. */
function envFileInContext(context: CheckContext, folder: string): boolean {
  const prefix = folder === '.' ? '' : `${folder}/`;
  const known = [...context.workspace.files, ...(context.input.trackedFiles ?? [])];
  const envFile = known.find((file) => file.startsWith(prefix) && /^\.env(?:\.[\w-]+)?$/.test(file.slice(prefix.length)) && !/example|sample|template/i.test(file));
  if (!envFile) return false;
  const dockerignore = context.workspace.read(`${prefix}.dockerignore`);
  if (dockerignore === undefined) return true;
  return !ignore().add(dockerignore).ignores(envFile.slice(prefix.length));
}
