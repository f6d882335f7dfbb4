import * as path from 'node:path';
import type { Finding } from './engine/types';
import type { LinkedRoute } from './engine/routes/link/buildInventory';
import type { FindingDto, RouteDto } from './protocol';
import { uriOf } from './codeActions/documentAccess';

/** Workspace results as the client receives them: absolute URIs, no engine internals. */

export function routeDto(route: LinkedRoute, root: string): RouteDto {
  return {
    method: route.method,
    path: route.path,
    framework: route.framework,
    uri: uriOf(path.join(root, route.file)),
    range: route.range,
    ...(route.handler ? { handler: route.handler } : {}),
    auth: route.auth,
    stateChanging: route.stateChanging,
    evidence: route.evidence.map((item) => ({ uri: uriOf(path.join(root, item.file)), range: item.range, description: item.description })),
  };
}

export function findingDto(finding: Finding, root: string): FindingDto {
  return {
    ruleId: finding.ruleId,
    category: finding.category,
    severity: finding.severity,
    message: finding.message,
    uri: uriOf(path.join(root, finding.file)),
    range: finding.range,
    ...(finding.docsUrl ? { docsUrl: finding.docsUrl } : {}),
  };
}
