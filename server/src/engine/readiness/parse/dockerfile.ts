/**
 * Dockerfile instructions with their lines: continuation lines joined, comments and parser
 * directives skipped, build stages separated (the last stage is the image that runs).
 */

export interface DockerInstruction {
  /** Upper case: FROM, USER, ENV, ARG, COPY… */
  keyword: string;
  args: string;
  /** Zero-based line where the instruction starts. */
  line: number;
}

export interface DockerStage {
  /** Image or earlier stage the stage builds on. */
  base: string;
  alias?: string;
  line: number;
  instructions: DockerInstruction[];
}

export function parseDockerfile(text: string): { stages: DockerStage[]; preamble: DockerInstruction[] } {
  const lines = text.split(/\r?\n/);
  const escape = /^#\s*escape\s*=\s*`/im.test(lines.slice(0, 5).join('\n')) ? '`' : '\\';
  const instructions: DockerInstruction[] = [];
  let current: DockerInstruction | undefined;
  for (let number = 0; number < lines.length; number++) {
    const raw = lines[number];
    const trimmed = raw.trim();
    if (current) {
      if (trimmed.startsWith('#')) continue;
      const continues = trimmed.endsWith(escape);
      current.args += ` ${continues ? trimmed.slice(0, -1).trim() : trimmed}`;
      if (!continues) current = undefined;
      continue;
    }
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const match = /^([A-Za-z]+)(?:\s+|$)(.*)$/.exec(trimmed);
    if (!match) continue;
    const continues = trimmed.endsWith(escape);
    const args = continues ? match[2].slice(0, -1).trim() : match[2];
    const instruction = { keyword: match[1].toUpperCase(), args: args.trim(), line: number };
    instructions.push(instruction);
    if (continues) current = instruction;
  }
  const stages: DockerStage[] = [];
  const preamble: DockerInstruction[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const parts = instruction.args.split(/\s+/).filter((part) => !part.startsWith('--'));
      const asIndex = parts.findIndex((part) => part.toLowerCase() === 'as');
      stages.push({ base: parts[0] ?? '', ...(asIndex > 0 && parts[asIndex + 1] ? { alias: parts[asIndex + 1] } : {}), line: instruction.line, instructions: [] });
    } else if (stages.length) {
      stages[stages.length - 1].instructions.push(instruction);
    } else {
      preamble.push(instruction);
    }
  }
  return { stages, preamble };
}

/** Name/value pairs of an ENV or ARG instruction (`A=1 B="2"`, or the legacy `ENV A 1`). */
export function keyValuePairs(args: string, keyword: 'ENV' | 'ARG'): { name: string; value?: string }[] {
  if (keyword === 'ENV' && !/^[^\s=]+=/.test(args)) {
    const [name, ...rest] = args.split(/\s+/);
    return name ? [{ name, value: rest.join(' ') }] : [];
  }
  const pairs: { name: string; value?: string }[] = [];
  const pattern = /([A-Za-z_][A-Za-z0-9_]*)(?:=("(?:[^"\\]|\\.)*"|'[^']*'|\S*))?/g;
  for (let match = pattern.exec(args); match; match = pattern.exec(args)) {
    pairs.push({ name: match[1], ...(match[2] !== undefined ? { value: match[2].replace(/^["']|["']$/g, '') } : {}) });
  }
  return pairs;
}

/** Every Dockerfile-like file name: Dockerfile, Dockerfile.prod, api.Dockerfile, Containerfile. */
export const DOCKERFILE_NAME = /(?:^|\/)(?:(?:docker|container)file(?:\.[\w.-]+)?|[\w.-]+\.(?:docker|container)file)$/i;

/** Images only used while developing or testing (Dockerfile.dev, dev.Dockerfile…). */
export const DEVELOPMENT_DOCKERFILE = /(?:^|[./-])(?:dev|develop|development|local|test|tests|ci|debug|devcontainer)(?:[./-]|$)|(?:^|\/)\.devcontainer\//i;
