import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../helpers';

function sourcesUnder(folder: string): string[] {
  return fs.readdirSync(path.join(repoRoot, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** What the architecture promises about who may import what. */
describe('layering', () => {
  it('the engine imports nothing from vscode or the LSP libraries', () => {
    const offenders = sourcesUnder('server/src/engine').filter((file) => /from ['"](vscode|vscode-languageserver[\w/-]*|vscode-languageclient[\w/-]*|vscode-jsonrpc[\w/-]*)['"]|require\(['"]vscode/.test(fs.readFileSync(file, 'utf8')));
    assert.deepEqual(offenders.map((file) => path.relative(repoRoot, file)), []);
  });

  it('the server does not import vscode, and the client reaches the server only through protocol.ts', () => {
    assert.deepEqual(sourcesUnder('server/src').filter((file) => /from ['"]vscode['"]/.test(fs.readFileSync(file, 'utf8'))).map((file) => path.relative(repoRoot, file)), []);
    const clientImports = sourcesUnder('client/src').flatMap((file) => [...fs.readFileSync(file, 'utf8').matchAll(/from ['"](\.\.\/)+server\/src\/([^'"]+)['"]/g)].map((match) => match[2]));
    assert.deepEqual([...new Set(clientImports)], ['protocol']);
  });
});

describe('the .shipshapeignore language', () => {
  it('is registered with its grammar, whose patterns compile', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    const language = manifest.contributes.languages.find((entry: { id: string }) => entry.id === 'shipshapeignore');
    assert.deepEqual(language.filenames, ['.shipshapeignore']);
    const grammar = manifest.contributes.grammars.find((entry: { language: string }) => entry.language === 'shipshapeignore');
    const tmLanguage = JSON.parse(fs.readFileSync(path.join(repoRoot, grammar.path), 'utf8'));
    assert.equal(tmLanguage.scopeName, grammar.scopeName);
    const patterns: string[] = [];
    const collect = (node: unknown): void => {
      if (!node || typeof node !== 'object') return;
      for (const [key, value] of Object.entries(node)) {
        if ((key === 'match' || key === 'begin' || key === 'end') && typeof value === 'string') patterns.push(value);
        else collect(value);
      }
    };
    collect(tmLanguage);
    assert.ok(patterns.length >= 5);
    // Oniguruma's \G has no JavaScript equivalent; everything else must be a valid pattern.
    for (const pattern of patterns) assert.doesNotThrow(() => new RegExp(pattern.replace(/\\G/g, '^')), pattern);
    const scopes = JSON.stringify(tmLanguage);
    for (const scope of ['comment.line', 'keyword.operator.negation', 'keyword.operator.glob']) assert.ok(scopes.includes(scope), scope);
  });
});
