import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SecretRuleSpec } from './secretRule';

/** A file in rules/secrets/: one family of providers. */
export interface SecretRuleFile {
  family: string;
  description?: string;
  rules: SecretRuleSpec[];
}

/** Finds the product's rules/ folder from a bundle or source location (it sits at the package root). */
export function findRulesDirectory(startDirectory: string): string {
  let directory = startDirectory;
  for (let depth = 0; depth < 8; depth++) {
    const candidate = path.join(directory, 'rules');
    if (fs.existsSync(path.join(candidate, 'secrets'))) return candidate;
    const parent = path.dirname(directory);
    if (parent === directory) break;
    directory = parent;
  }
  throw new Error(`Shipshape could not find its rules/ folder above ${startDirectory}; the installation is incomplete.`);
}

export function loadSecretRuleFiles(rulesDirectory: string): SecretRuleFile[] {
  const folder = path.join(rulesDirectory, 'secrets');
  return fs
    .readdirSync(folder)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const file = path.join(folder, name);
      try {
        return JSON.parse(fs.readFileSync(file, 'utf8')) as SecretRuleFile;
      } catch (error) {
        throw new Error(`rules/secrets/${name} is not valid JSON: ${(error as Error).message}`);
      }
    });
}

export function loadSecretRuleSpecs(rulesDirectory: string): SecretRuleSpec[] {
  return loadSecretRuleFiles(rulesDirectory).flatMap((file) => file.rules);
}
