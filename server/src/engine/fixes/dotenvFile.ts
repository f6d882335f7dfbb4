import ignore from 'ignore';

/**
 * Text edits on .env, .env.example and .gitignore that the "move to environment variable"
 * fix makes. Pure functions over file contents, so the editor and tests share them.
 */

const ASSIGNMENT = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.]*)[ \t]*=[ \t]*(.*?)[ \t]*$/;

/** Variables defined in a .env file, with surrounding quotes removed. */
export function parseDotenv(text: string): Map<string, string> {
  const variables = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const match = ASSIGNMENT.exec(line);
    if (!match) continue;
    let value = match[2];
    const quote = value[0];
    if ((quote === '"' || quote === "'" || quote === '`') && value.endsWith(quote) && value.length >= 2) value = value.slice(1, -1);
    else value = value.replace(/[ \t]+#.*$/, '');
    variables.set(match[1], value);
  }
  return variables;
}

/** Writes a value so dotenv, Node's --env-file and python-dotenv all read it back unchanged. */
export function formatDotenvValue(value: string): string {
  if (/^[A-Za-z0-9_\-.:/@+=,%~^!*?]*$/.test(value)) return value;
  if (!value.includes("'")) return `'${value}'`;
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * The name to use in .env: `preferred` when free or already holding this value,
 * otherwise `preferred_2`, `preferred_3`, … so an existing different value is never overwritten.
 */
export function chooseDotenvName(existing: Map<string, string>, preferred: string, value: string): { name: string; alreadyDefined: boolean } {
  for (let attempt = 1; attempt < 100; attempt++) {
    const name = attempt === 1 ? preferred : `${preferred}_${attempt}`;
    const current = existing.get(name);
    if (current === undefined) return { name, alreadyDefined: false };
    if (current === value) return { name, alreadyDefined: true };
  }
  return { name: `${preferred}_${Date.now()}`, alreadyDefined: false };
}

/** The text to insert at the end of a file so that `line` becomes its last line. */
export function appendedLine(existingText: string, line: string): string {
  const needsBreak = existingText.length > 0 && !existingText.endsWith('\n');
  return `${needsBreak ? '\n' : ''}${line}\n`;
}

/** Whether .gitignore already keeps `relativePath` (e.g. ".env") out of the repository. */
export function gitignoreCovers(gitignoreText: string, relativePath: string): boolean {
  return ignore().add(gitignoreText).ignores(relativePath);
}

/** Whether .env.example already lists the variable (with or without a value). */
export function exampleMentions(exampleText: string, name: string): boolean {
  return parseDotenv(exampleText).has(name);
}
