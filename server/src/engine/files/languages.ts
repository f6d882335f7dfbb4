/**
 * What the engine needs to know about a file's language: how to write a comment (for
 * suppressions) and how to read an environment variable (for the "move to env" fix).
 */

export type LanguageId =
  | 'javascript'
  | 'typescript'
  | 'javascriptreact'
  | 'typescriptreact'
  | 'python'
  | 'ruby'
  | 'go'
  | 'java'
  | 'kotlin'
  | 'csharp'
  | 'php'
  | 'rust'
  | 'shellscript'
  | 'dockerfile'
  | 'dotenv'
  | 'json'
  | 'jsonc'
  | 'yaml'
  | 'toml'
  | 'ini'
  | 'properties'
  | 'xml'
  | 'html'
  | 'markdown'
  | 'sql'
  | 'terraform'
  | 'plaintext';

export interface LanguageInfo {
  id: LanguageId;
  /** Line comment prefix, or undefined when the format has none (JSON). */
  lineComment?: string;
  /** Block comment delimiters for formats without line comments (HTML, XML, Markdown). */
  blockComment?: [string, string];
  /** Builds the expression that reads an environment variable, when the language has one. */
  envLookup?: (name: string) => string;
  /** True for JS/TS family files that TypeScript's parser understands. */
  isScript?: boolean;
}

const quoteDouble = (name: string) => JSON.stringify(name);

const LANGUAGES: Record<LanguageId, LanguageInfo> = {
  javascript: { id: 'javascript', lineComment: '//', envLookup: (n) => `process.env.${n}`, isScript: true },
  typescript: { id: 'typescript', lineComment: '//', envLookup: (n) => `process.env.${n}`, isScript: true },
  javascriptreact: { id: 'javascriptreact', lineComment: '//', envLookup: (n) => `process.env.${n}`, isScript: true },
  typescriptreact: { id: 'typescriptreact', lineComment: '//', envLookup: (n) => `process.env.${n}`, isScript: true },
  python: { id: 'python', lineComment: '#', envLookup: (n) => `os.environ[${quoteDouble(n)}]` },
  ruby: { id: 'ruby', lineComment: '#', envLookup: (n) => `ENV.fetch(${quoteDouble(n)})` },
  go: { id: 'go', lineComment: '//', envLookup: (n) => `os.Getenv(${quoteDouble(n)})` },
  java: { id: 'java', lineComment: '//', envLookup: (n) => `System.getenv(${quoteDouble(n)})` },
  kotlin: { id: 'kotlin', lineComment: '//', envLookup: (n) => `System.getenv(${quoteDouble(n)})` },
  csharp: { id: 'csharp', lineComment: '//', envLookup: (n) => `Environment.GetEnvironmentVariable(${quoteDouble(n)})` },
  php: { id: 'php', lineComment: '//', envLookup: (n) => `getenv(${quoteDouble(n)})` },
  rust: { id: 'rust', lineComment: '//', envLookup: (n) => `std::env::var(${quoteDouble(n)}).expect(${quoteDouble(n + ' is not set')})` },
  shellscript: { id: 'shellscript', lineComment: '#', envLookup: (n) => `"\${${n}}"` },
  dockerfile: { id: 'dockerfile', lineComment: '#' },
  dotenv: { id: 'dotenv', lineComment: '#' },
  json: { id: 'json' },
  jsonc: { id: 'jsonc', lineComment: '//' },
  yaml: { id: 'yaml', lineComment: '#' },
  toml: { id: 'toml', lineComment: '#' },
  ini: { id: 'ini', lineComment: ';' },
  properties: { id: 'properties', lineComment: '#' },
  xml: { id: 'xml', blockComment: ['<!--', '-->'] },
  html: { id: 'html', blockComment: ['<!--', '-->'] },
  markdown: { id: 'markdown', blockComment: ['<!--', '-->'] },
  sql: { id: 'sql', lineComment: '--' },
  terraform: { id: 'terraform', lineComment: '#' },
  plaintext: { id: 'plaintext', lineComment: '#' },
};

const BY_EXTENSION: Record<string, LanguageId> = {
  js: 'javascript', mjs: 'javascript', cjs: 'javascript',
  jsx: 'javascriptreact',
  ts: 'typescript', mts: 'typescript', cts: 'typescript',
  tsx: 'typescriptreact',
  vue: 'javascript', svelte: 'javascript', astro: 'javascript',
  py: 'python', pyw: 'python',
  rb: 'ruby', go: 'go', java: 'java', kt: 'kotlin', kts: 'kotlin', cs: 'csharp', php: 'php', rs: 'rust',
  sh: 'shellscript', bash: 'shellscript', zsh: 'shellscript',
  json: 'json', jsonc: 'jsonc', json5: 'jsonc',
  yml: 'yaml', yaml: 'yaml', toml: 'toml', ini: 'ini', cfg: 'ini', conf: 'ini', properties: 'properties',
  xml: 'xml', html: 'html', htm: 'html', md: 'markdown', mdx: 'markdown', sql: 'sql',
  tf: 'terraform', tfvars: 'terraform', hcl: 'terraform',
  env: 'dotenv',
};

/** Decides a file's language from its path; the editor's language id wins when it is one we know. */
export function languageOf(filePath: string, editorLanguageId?: string): LanguageInfo {
  if (editorLanguageId && editorLanguageId in LANGUAGES) return LANGUAGES[editorLanguageId as LanguageId];
  const base = baseName(filePath).toLowerCase();
  if (base === 'dockerfile' || base.startsWith('dockerfile.') || base.endsWith('.dockerfile')) return LANGUAGES.dockerfile;
  if (base === '.env' || base.startsWith('.env.') || base.endsWith('.env')) return LANGUAGES.dotenv;
  if (base === 'makefile' || base === '.bashrc' || base === '.profile') return LANGUAGES.shellscript;
  if (base === '.npmrc' || base === '.pypirc' || base === '.netrc') return LANGUAGES.ini;
  const dot = base.lastIndexOf('.');
  const extension = dot >= 0 ? base.slice(dot + 1) : '';
  return LANGUAGES[BY_EXTENSION[extension] ?? 'plaintext'];
}

export function baseName(filePath: string): string {
  const slash = Math.max(filePath.lastIndexOf('/'), filePath.lastIndexOf('\\'));
  return slash >= 0 ? filePath.slice(slash + 1) : filePath;
}
