import type ts = require('typescript');
import type { FixHint } from '../../types';
import type { FileFacts } from '../fileFacts';
import type { InputRuleData } from '../ruleData';
import type { SinkHit, SourceOrigin } from '../taint';
import { pickFieldsFix } from './pickFields';
import { collectSourceFields, type SourceFields } from './sourceFields';
import { declaredMembers, zodSchemaFix } from './zodSchema';

/**
 * Fixes decided from where the input comes from rather than where it goes: picking fields
 * for mass assignment, and a zod schema where validation is missing. Only for the sinks a
 * schema or a pick really makes safe (whole-object writes and MongoDB filters); for SQL,
 * shell or paths a string schema would silence the warning without removing the danger.
 */

export interface SourceFixEnvironment {
  sourceFile: ts.SourceFile;
  text: string;
  data: InputRuleData;
  facts: FileFacts;
  dependencies: ReadonlySet<string>;
  projectPath: string;
  groups: readonly (readonly SinkHit[])[];
}

export function sourceFixes(env: SourceFixEnvironment): (hits: readonly SinkHit[]) => FixHint[] {
  const fieldsCache = new Map<ts.Node, SourceFields | undefined>();
  const fieldsOf = (origin: SourceOrigin) => {
    if (!fieldsCache.has(origin.sourceNode)) fieldsCache.set(origin.sourceNode, collectSourceFields(origin));
    return fieldsCache.get(origin.sourceNode);
  };
  const zodAvailable = env.dependencies.has('zod') || env.facts.modules.has('zod');
  return (hits) => {
    const [first] = hits;
    const origin = first.taint.origin;
    const kind = first.pattern.rule.kind;
    if (origin.kind !== 'source' || (kind !== 'mass' && kind !== 'nosql')) return [];
    const fields = fieldsOf(origin);
    if (!fields || fields.uncertain) return [];
    const fixes: FixHint[] = [];
    if (kind === 'mass') {
      // Fields read only inside the write itself (its `where: { id: body.id }`) say nothing about what to save.
      const site = first.site;
      const dataFields = [...fields.fields.keys()].filter((field) => (fields.reads.get(field) ?? []).some((read) => read.pos < site.pos || read.end > site.end || isInside(read, first.node)));
      // The fields its declared type gives it (`const body: CreateUser = req.body`).
      for (const field of declaredMembers(fields.declaredType, env.facts)?.keys() ?? []) if (!dataFields.includes(field)) dataFields.push(field);
      if (dataFields.length === 0) return [];
      const pick = pickFieldsFix(first, dataFields, env.sourceFile, env.text);
      if (pick) fixes.push(pick);
    }
    const location = env.data.locations[origin.location];
    if (zodAvailable && location) {
      const sinkNodes = env.groups.flat().filter((hit) => hit.taint.origin.kind === 'source' && hit.taint.origin.sourceNode === origin.sourceNode).map((hit) => hit.node);
      const zod = zodSchemaFix(origin, location, fields, sinkNodes, { sourceFile: env.sourceFile, text: env.text, facts: env.facts, projectPath: env.projectPath });
      if (zod) fixes.push({ ...zod, kind: 'edit', preferred: fixes.length === 0 });
    }
    return fixes;
  };
}

function isInside(node: ts.Node, container: ts.Node): boolean {
  return container.pos <= node.pos && node.end <= container.end;
}
