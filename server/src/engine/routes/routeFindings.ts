import type { Finding, FixHint, TextEdit } from '../types';
import { ruleDocsUrl, type RuleDescription } from '../ruleCatalog';
import type { FileRouteFacts, SourceSpan } from './routeFacts';
import type { LinkedInventory, LinkedRoute, ProjectAuthItem } from './link/buildInventory';
import { ModuleResolver, relativeSpecifier } from './link/moduleResolver';
import { describeRoute } from './describeRoute';
import { fingerprintFromLine } from '../fingerprint';
import { languageOf } from '../files/languages';
import { pythonRequireAuth } from './python/pyFixes';

export const AUTH_RULES: RuleDescription[] = [
  {
    id: 'auth/unauthenticated-route',
    category: 'auth',
    title: 'Route that changes data with no authentication',
    description: 'A POST/PUT/PATCH/DELETE route or server action that anyone on the internet can call: nothing checks who is calling before the handler runs.',
    severity: 'warning',
    docsUrl: ruleDocsUrl('auth/unauthenticated-route'),
    tags: ['security', 'authentication', 'routes'],
  },
  {
    id: 'auth/check-after-work',
    category: 'auth',
    title: 'Auth check after the work is done',
    description: 'The handler checks who is calling only after it has already written data or called a service, so an anonymous request still does the work.',
    severity: 'warning',
    docsUrl: ruleDocsUrl('auth/check-after-work'),
    tags: ['security', 'authentication'],
  },
  {
    id: 'auth/jwt-decode-without-verify',
    category: 'auth',
    title: 'JWT decoded without verifying its signature',
    description: 'A token decoded without checking its signature (jsonwebtoken jwt.decode, jwtDecode, PyJWT with verify_signature off, python-jose get_unverified_claims): on the server anyone can forge such a token. Verify it with the secret or public key (jwt.verify, jose jwtVerify, jwt.decode(token, key, algorithms=[…])).',
    severity: 'error',
    docsUrl: ruleDocsUrl('auth/jwt-decode-without-verify'),
    tags: ['security', 'authentication', 'jwt'],
  },
];

/** The auth findings of one file, from the linked inventory and that file's facts. */
export function routeFindingsFor(file: string, inventory: LinkedInventory, facts: ReadonlyMap<string, FileRouteFacts>, allFiles: ReadonlySet<string>): Finding[] {
  const fileFacts = facts.get(file);
  if (!fileFacts) return [];
  const findings: Finding[] = [];
  for (const route of inventory.routesByFile.get(file) ?? []) {
    // A late check gets its own finding; "nothing checks" would be wrong there.
    if (route.stateChanging && route.auth === 'unauthenticated' && !route.checkAfterWork) findings.push(unauthenticatedFinding(route, inventory, fileFacts, facts, allFiles));
    if (route.checkAfterWork && route.auth !== 'authenticated') {
      const check = route.checkAfterWork.check;
      findings.push(finding('auth/check-after-work', 'warning', check.span, file,
        `${describeRoute(route)} checks who is calling (${check.description}) only after it has already done its work, so an anonymous request still does it. Move the check to the top of the handler, before any database write or API call.`));
    }
  }
  const verifyAdvice = fileFacts.language === 'python'
    ? 'Use jwt.decode(token, key, algorithms=["HS256"]) with verification on, and reject the request when it raises.'
    : 'Use jwt.verify(token, secret) (or jose jwtVerify) and reject the request when it throws.';
  for (const decode of fileFacts.jwtDecodes) {
    findings.push(finding('auth/jwt-decode-without-verify', 'error', decode, file,
      `This decodes a JWT without checking its signature: anyone can write a token with any user id or role and it will be believed. ${verifyAdvice}`));
  }
  return findings;
}

/** Where a platform's own gate is not an auth check, what is. */
const FRAMEWORK_AUTH_ADVICE: Partial<Record<LinkedRoute['framework'], string>> = {
  // Supabase's own JWT check lets the public anon key through: it says nothing about the user.
  'supabase-functions': "Supabase's JWT check passes anyone who sends your public anon key, so check the user in the function: read the Authorization header into a client and return 401 when supabase.auth.getUser() finds none",
  'firebase-functions': 'Firebase lets anyone call it: in a callable function (onCall) check request.auth (context.auth in v1) and throw new HttpsError("unauthenticated", …) without it; in an HTTP one (onRequest) verify the ID token from the Authorization header with admin.auth().verifyIdToken() and answer 401 without one',
};

function unauthenticatedFinding(route: LinkedRoute, inventory: LinkedInventory, facts: FileRouteFacts, allFacts: ReadonlyMap<string, FileRouteFacts>, allFiles: ReadonlySet<string>): Finding {
  const python = facts.language === 'python' ? pythonRequireAuth(route, inventory, facts, allFacts, allFiles) : undefined;
  const protector = facts.language === 'python' ? python?.protector : chooseProjectAuth(route, inventory);
  const advice = protector
    ? `Protect it with your auth check (${protector.label}, as used in ${protector.usedIn})`
    : FRAMEWORK_AUTH_ADVICE[route.framework] ?? 'Add an auth check before the handler does anything';
  const result = finding('auth/unauthenticated-route', 'warning', route.span, route.file,
    `Anyone on the internet can call ${describeRoute(route)}: nothing checks who is calling before it ${route.method === 'DELETE' ? 'deletes' : 'changes'} data. ${advice}, or if it is public on purpose, mark it with a comment: shipshape-public: <reason>.`);
  const fixes: FixHint[] = [];
  const requireAuth = route.insertion?.check
    ? { kind: 'edit' as const, title: route.insertion.check.title, edits: route.insertion.check.edits, preferred: true }
    : facts.language === 'python' ? python?.fix : protector ? requireAuthFix(route, protector, facts, allFiles) : undefined;
  if (requireAuth) fixes.push(requireAuth);
  fixes.push(markPublicFix(route));
  result.fixes = fixes;
  result.properties = { method: route.method, path: route.path, framework: route.framework };
  return result;
}

function finding(ruleId: string, severity: Finding['severity'], span: SourceSpan, file: string, message: string): Finding {
  const result: Finding = {
    ruleId,
    category: 'auth',
    severity,
    message,
    file,
    range: span.range,
    startOffset: span.start,
    endOffset: span.end,
    docsUrl: ruleDocsUrl(ruleId),
  };
  // Fingerprinted here, from the line the facts recorded, so the CLI need not re-read the file.
  result.fingerprint = fingerprintFromLine(result, span.lineText);
  return result;
}

/** The auth middleware/guard this project already uses for routes of the same kind. */
function chooseProjectAuth(route: LinkedRoute, inventory: LinkedInventory): ProjectAuthItem | undefined {
  const family = (framework: string) => (framework === 'nestjs' ? 'nest' : /^(express|koa|hono|fastify)$/.test(framework) ? framework : 'other');
  return inventory.projectAuth.find((item) => item.framework === route.framework) ?? inventory.projectAuth.find((item) => family(item.framework) === family(route.framework) && family(route.framework) !== 'other');
}

/** "Require authentication": the project's own middleware or guard, in the right place, with its import. */
function requireAuthFix(route: LinkedRoute, auth: ProjectAuthItem, facts: FileRouteFacts, allFiles: ReadonlySet<string>): FixHint | undefined {
  const insertion = route.insertion;
  if (!insertion) return undefined;
  const edits: TextEdit[] = [];
  const needsImport = addImportEdit(route.file, auth, facts, allFiles);
  if (needsImport === null) return undefined;
  if (needsImport) edits.push(needsImport);
  switch (insertion.kind) {
    case 'argument':
      edits.push({ start: insertion.offset, end: insertion.offset, newText: `, ${auth.label}` });
      break;
    case 'fastify-options':
      edits.push({ start: insertion.offset, end: insertion.offset, newText: `, { onRequest: [${auth.label}] }` });
      break;
    case 'decorator': {
      const useGuards = facts.imports.some((entry) => entry.local === 'UseGuards');
      if (!useGuards) edits.push({ start: facts.importsEnd, end: facts.importsEnd, newText: "import { UseGuards } from '@nestjs/common';\n" });
      edits.push({ start: insertion.offset, end: insertion.offset, newText: `${insertion.indent ?? ''}@UseGuards(${auth.label})\n` });
      break;
    }
  }
  return { kind: 'edit', title: `Require authentication (${auth.label})`, edits, preferred: true };
}

/**
 * The import that brings the auth item's first identifier into the route's file: undefined
 * when none is needed, null when it cannot be written safely.
 */
function addImportEdit(file: string, auth: ProjectAuthItem, facts: FileRouteFacts, allFiles: ReadonlySet<string>): TextEdit | undefined | null {
  const root = auth.label.split(/[.(]/)[0];
  if (facts.imports.some((entry) => entry.local === root) || facts.functions.some((fn) => fn.name === root) || facts.routers.some((router) => router.name === root)) return undefined;
  if (!auth.importModule || !auth.importName) return auth.usedIn === file ? undefined : null;
  let specifier = auth.importModule;
  if (!ModuleResolver.isPackage(specifier)) {
    const target = new ModuleResolver(allFiles).resolve(auth.usedIn, specifier);
    if (!target) return null;
    specifier = /^(@|~|#)\//.test(auth.importModule) ? auth.importModule : relativeSpecifier(file, target);
  }
  const binding = auth.importName === 'default' || auth.importName === '*' ? root : auth.importName === root ? `{ ${root} }` : `{ ${auth.importName} as ${root} }`;
  const statement = facts.moduleStyle === 'cjs'
    ? `const ${binding.replace(' as ', ': ')} = require('${specifier}');\n`
    : `import ${auth.importName === '*' ? `* as ${root}` : binding} from '${specifier}';\n`;
  return { start: facts.importsEnd, end: facts.importsEnd, newText: statement };
}

/** "Mark as public": the annotation on the line above, in the file's comment syntax, with a placeholder for the reason. */
function markPublicFix(route: LinkedRoute): FixHint {
  const lineStart = route.span.start - route.span.range.start.character;
  const indent = /^[ \t]*/.exec(route.span.lineText)![0];
  const comment = languageOf(route.file).lineComment ?? '//';
  return {
    kind: 'edit',
    title: 'Mark this route as public on purpose',
    edits: [{ start: lineStart, end: lineStart, newText: `${indent}${comment} shipshape-public: <why anyone may call this>\n` }],
  };
}
