/** The readiness model: what stands between a workspace and production, check by check. */
export { assessReadiness } from './assessReadiness';
export { READINESS_CHECKS, READINESS_CHECK_FILES, READINESS_RULES, describeCheck } from './catalog';
export { readinessFindings } from './readinessFindings';
export { lookupVulnerabilities, OSV_DEFAULT_BASE_URL } from './osvLookup';
export type { FetchLike, LookupOptions, PackageQuery, PackageVulnerabilities, VulnerabilityLookupResult, VulnerabilityRecord } from './osvLookup';
export { collectLockedPackages } from './lockfiles';
export type * from './types';
export type { CheckSpec, CheckFamilyFile, CheckExample } from './checkSpec';
