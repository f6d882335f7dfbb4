import type { CodeCheck } from './context';
import { hardcodedAuthSecret, injection, jwtDecodeForAuth, secretsInFiles, unauthenticatedWrites } from './findingChecks';
import { authRateLimit, healthEndpoint } from './routeChecks';
import { envFileCommitted, envInGitignore } from './envFileChecks';
import { supabaseRls, supabaseServiceRoleInClient } from './supabaseChecks';
import { dockerfileBakedSecrets, dockerfileRootUser } from './dockerChecks';
import { ciRunsTests, pullRequestTargetCheckout, workflowPermissions } from './ciChecks';
import { lockfileCheck } from './lockfileChecks';
import { eolRuntime } from './runtimeChecks';
import { knownVulnerabilities } from './vulnerabilityChecks';

/** Checks that need parsing, by the name rule files give in `detect.code`. */
export const CODE_CHECKS: Record<string, CodeCheck> = {
  'secrets-in-files': secretsInFiles,
  'hardcoded-auth-secret': hardcodedAuthSecret,
  'unauthenticated-writes': unauthenticatedWrites,
  injection,
  'jwt-decode-for-auth': jwtDecodeForAuth,
  'env-file-committed': envFileCommitted,
  'env-in-gitignore': envInGitignore,
  'supabase-rls': supabaseRls,
  'supabase-service-role-client': supabaseServiceRoleInClient,
  'dockerfile-root-user': dockerfileRootUser,
  'dockerfile-baked-secrets': dockerfileBakedSecrets,
  'workflow-permissions': workflowPermissions,
  'pull-request-target-checkout': pullRequestTargetCheckout,
  'ci-runs-tests': ciRunsTests,
  'health-endpoint': healthEndpoint,
  'auth-rate-limit': authRateLimit,
  lockfile: lockfileCheck,
  'eol-runtime': eolRuntime,
  'known-vulnerabilities': knownVulnerabilities,
};
