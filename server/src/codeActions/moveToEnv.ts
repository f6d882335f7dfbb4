import * as path from 'node:path';
import { CodeActionKind, type CodeAction, type Diagnostic, type TextDocumentEdit, type CreateFile, type WorkspaceEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { FixHint } from '../engine/types';
import { languageOf } from '../engine/files/languages';
import { appendedLine, chooseDotenvName, exampleMentions, formatDotenvValue, gitignoreCovers, parseDotenv } from '../engine/fixes/dotenvFile';
import { pythonImportOsInsertion } from '../engine/fixes/pythonImport';
import { projectLoadsDotenv } from '../workspace/projectRoot';
import { ServerCommands } from '../protocol';
import { uriOf, type DocumentAccess } from './documentAccess';

type MoveHint = Extract<FixHint, { kind: 'move-to-env' }>;

/**
 * "Move to environment variable": one undoable edit that replaces the literal with the
 * language's env look-up, adds the value to .env, keeps .env out of git and documents the
 * variable in .env.example.
 */
export function moveToEnvAction(document: TextDocument, filePath: string, projectRoot: string, hint: MoveHint, diagnostic: Diagnostic, files: DocumentAccess): CodeAction | undefined {
  const language = languageOf(filePath, document.languageId);
  if (!language.envLookup) return undefined;
  const text = document.getText();
  const literal = text.slice(hint.literalStart, hint.literalEnd);
  const value = literal.slice(1, -1);
  if (value.length === 0) return undefined;

  const envPath = path.join(projectRoot, '.env');
  const envFile = files.read(envPath);
  const { name, alreadyDefined } = chooseDotenvName(parseDotenv(envFile?.text ?? ''), hint.envName, value);
  const typescript = language.id === 'typescript' || language.id === 'typescriptreact';
  const lookup = language.envLookup(name) + (typescript ? '!' : '');

  const sourceEdits: TextDocumentEdit['edits'] = [
    { range: { start: document.positionAt(hint.literalStart), end: document.positionAt(hint.literalEnd) }, newText: lookup },
  ];
  if (language.id === 'python') {
    const insertion = pythonImportOsInsertion(text);
    if (insertion) sourceEdits.unshift({ range: { start: document.positionAt(insertion.offset), end: document.positionAt(insertion.offset) }, newText: insertion.text });
  }

  const changes: (TextDocumentEdit | CreateFile)[] = [{ textDocument: { uri: document.uri, version: document.version }, edits: sourceEdits }];
  if (!alreadyDefined) changes.push(...appendToFile(envPath, envFile, `${name}=${formatDotenvValue(value)}`));

  const gitignorePath = path.join(projectRoot, '.gitignore');
  const gitignore = files.read(gitignorePath);
  if (!gitignore || !gitignoreCovers(gitignore.text, '.env')) changes.push(...appendToFile(gitignorePath, gitignore, '.env'));

  const examplePath = path.join(projectRoot, '.env.example');
  const example = files.read(examplePath);
  if (!example || !exampleMentions(example.text, name)) changes.push(...appendToFile(examplePath, example, `${name}=`));

  const edit: WorkspaceEdit = { documentChanges: changes };
  const action: CodeAction = {
    title: `Move to environment variable ${name} (.env, kept out of git)`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: true,
    edit,
  };
  if (!projectLoadsDotenv(projectRoot, (file) => files.read(file)?.text)) {
    action.command = {
      title: 'How to load .env',
      command: ServerCommands.explain,
      arguments: [dotenvLoadingAdvice(language.id, name)],
    };
  }
  return action;
}

function appendToFile(fsPath: string, existing: { text: string; version: number | null } | undefined, line: string): (TextDocumentEdit | CreateFile)[] {
  const uri = uriOf(fsPath);
  if (!existing) {
    return [
      { kind: 'create', uri, options: { ignoreIfExists: true } },
      { textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: `${line}\n` }] },
    ];
  }
  const lines = existing.text.split('\n');
  const end = { line: lines.length - 1, character: lines[lines.length - 1].length };
  return [{ textDocument: { uri, version: existing.version }, edits: [{ range: { start: end, end }, newText: appendedLine(existing.text, line) }] }];
}

function dotenvLoadingAdvice(languageId: string, name: string): string {
  if (languageId === 'python') {
    return `${name} is now in .env. Python does not read .env by itself: install python-dotenv and call load_dotenv() at start-up, or set ${name} in your host's environment settings for production.`;
  }
  return `${name} is now in .env. Node does not read .env by itself: start the app with "node --env-file=.env" (Node 20.6+) or add the dotenv package, and set ${name} in your host's environment settings for production.`;
}
