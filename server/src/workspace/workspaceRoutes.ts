import type { Analyzer } from '../engine/analyzer';
import type { Finding } from '../engine/types';
import type { FileRouteFacts } from '../engine/routes/routeFacts';
import { RouteIndex } from '../engine/routes/routeIndex';
import type { LinkedInventory } from '../engine/routes/link/buildInventory';

/**
 * After a whole-workspace scan: links the route facts every file produced into the
 * inventory, and turns it into each file's auth findings (with that file's suppressions).
 */
export function linkScannedRoutes(facts: readonly FileRouteFacts[], allFiles: readonly string[], analyzer: Analyzer): { inventory: LinkedInventory; findings: Finding[] } {
  const index = new RouteIndex();
  index.addFiles(allFiles);
  for (const fileFacts of facts) index.update(fileFacts.file, fileFacts);
  const inventory = index.inventory(analyzer.config);
  const findings: Finding[] = [];
  for (const fileFacts of facts) {
    const fileFindings = index.findingsFor(fileFacts.file, analyzer.config);
    if (fileFindings.length) findings.push(...analyzer.treatWorkspaceFindings(fileFindings, fileFacts));
  }
  return { inventory, findings };
}
