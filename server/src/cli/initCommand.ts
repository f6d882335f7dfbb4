import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError, type CliIo } from './cliIo';
import type { CliOptions } from './options';

const CONFIG = `// Shipshape workspace configuration. VS Code completes this file from its JSON Schema.
// Docs: https://github.com/shipshape-dev/shipshape#configuration
{
  "$schema": "https://raw.githubusercontent.com/shipshape-dev/shipshape/main/rules/schema/shipshape-config.schema.json",

  // Your own functions, middleware or guards that reject unauthenticated requests.
  "authFunctions": [],

  // Your own functions that validate request input.
  "validators": [],

  // Routes that are public on purpose ("*" matches one path segment).
  "publicPaths": ["/health"],

  // Extra secret patterns (RE2 syntax), e.g.
  // { "id": "secret/acme-key", "title": "Acme API key", "regex": "acme_[a-z0-9]{32}", "keywords": ["acme_"] }
  "secretRules": [],

  // Accepted findings or readiness checks, with a reason and an optional expiry date, e.g.
  // { "ruleId": "secret/generic-secret", "path": "scripts/**", "reason": "local test data", "expires": "2027-06-30" }
  "exemptions": [],

  // Severity per rule id or category: "error", "warning", "info" or "off".
  "rules": {}
}
`;

const WORKFLOW = `# Runs Shipshape on every push and pull request and shows its findings in
# GitHub code scanning (Security tab and pull-request annotations).
name: Shipshape

on:
  push:
    branches: [main]
  pull_request:

permissions:
  contents: read

jobs:
  shipshape:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      security-events: write
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - name: Scan
        run: npx --yes shipshape scan --format sarif --output shipshape.sarif --fail-on none
      - name: Upload to code scanning
        uses: github/codeql-action/upload-sarif@v3
        with:
          sarif_file: shipshape.sarif
          category: shipshape
      - name: Fail on errors
        run: npx --yes shipshape scan --fail-on error
`;

const PRE_COMMIT_HOOK = `  - repo: local
    hooks:
      - id: shipshape
        name: Shipshape (secrets, routes, input)
        entry: npx --yes shipshape scan --fail-on error
        language: system
        pass_filenames: true
`;

/** `shipshape init`: writes the config, a CI workflow and a pre-commit hook; never overwrites without --force. */
export function runInitCommand(options: CliOptions, io: CliIo, cwd: string): number {
  const results: string[] = [];
  const write = (relative: string, content: string) => {
    const file = path.join(cwd, relative);
    if (fs.existsSync(file) && !options.force) {
      results.push(`kept     ${relative} (exists; --force overwrites)`);
      return;
    }
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
    } catch (error) {
      throw new UsageError(`cannot write ${relative}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    results.push(`wrote    ${relative}`);
  };

  write('.shipshape.json', CONFIG);
  write('.github/workflows/shipshape.yml', WORKFLOW);

  const preCommit = path.join(cwd, '.pre-commit-config.yaml');
  const existing = fs.existsSync(preCommit) ? fs.readFileSync(preCommit, 'utf8') : undefined;
  if (existing === undefined) {
    write('.pre-commit-config.yaml', `repos:\n${PRE_COMMIT_HOOK}`);
  } else if (/\bid:\s*shipshape\b/.test(existing)) {
    results.push('kept     .pre-commit-config.yaml (already runs shipshape)');
  } else if (/^repos:\s*$/m.test(existing)) {
    fs.writeFileSync(preCommit, `${existing.replace(/\s*$/, '\n')}${PRE_COMMIT_HOOK}`);
    results.push('added    the shipshape hook to .pre-commit-config.yaml');
  } else {
    results.push('kept     .pre-commit-config.yaml (no top-level "repos:" list to add the hook to)');
  }

  const husky = path.join(cwd, '.husky', 'pre-commit');
  if (fs.existsSync(husky)) {
    const hook = fs.readFileSync(husky, 'utf8');
    if (!hook.includes('shipshape')) {
      fs.writeFileSync(husky, `${hook.replace(/\s*$/, '\n')}npx --no-install shipshape scan --changed-since HEAD --fail-on error\n`);
      results.push('added    shipshape to .husky/pre-commit');
    }
  }
  io.stdout(`${results.join('\n')}\n`);
  return 0;
}
