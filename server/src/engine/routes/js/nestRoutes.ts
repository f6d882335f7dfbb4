import ts = require('typescript');
import { calleeName, decoratorArguments, decoratorName, decoratorsOf, stringValue } from '../../js/astUtil';
import type { HttpMethod } from '../routeTypes';
import type { AuthInsertion, ChainItem, DeclaredRoute, FileRouteFacts } from '../routeFacts';
import { analyzeBody } from './bodyAuth';
import { chainItemsOf } from './chainItems';
import { skipWrappers, type JsFileContext } from './jsFileContext';
import { propertyNamed } from './callRouters';

/**
 * NestJS: controllers and their handler methods, guards from `@UseGuards` on the class or
 * method, `@Public()`-style metadata, and (in any file) global guards and the global prefix.
 */

const METHOD_DECORATORS: Record<string, HttpMethod> = { Get: 'GET', Post: 'POST', Put: 'PUT', Patch: 'PATCH', Delete: 'DELETE', All: 'ALL', Head: 'HEAD', Options: 'OPTIONS' };
const PUBLIC_DECORATOR = /^(Public|IsPublic|AllowAnonymous|SkipAuth|NoAuth|Anonymous|PublicRoute|SkipJwt)$/;

export function extractNestRoutes(context: JsFileContext): DeclaredRoute[] {
  const routes: DeclaredRoute[] = [];
  for (const statement of context.sourceFile.statements) {
    if (!ts.isClassDeclaration(statement)) continue;
    const controller = decoratorsOf(statement).find((decorator) => decoratorName(decorator) === 'Controller');
    if (!controller) continue;
    const prefix = controllerPath(decoratorArguments(controller)[0]);
    const classGuards = guardsOf(statement, context);
    const classPublic = publicMarker(statement);
    for (const member of statement.members) {
      if (!ts.isMethodDeclaration(member)) continue;
      for (const decorator of decoratorsOf(member)) {
        const method = METHOD_DECORATORS[decoratorName(decorator) ?? ''];
        if (!method) continue;
        const subPath = stringValue(decoratorArguments(decorator)[0]) ?? '';
        const publicByDesign = publicMarker(member) ?? classPublic;
        const body = analyzeBody(member, context);
        routes.push({
          method,
          path: joinPaths(prefix, subPath),
          framework: 'nestjs',
          span: context.span(decorator),
          handlerName: `${statement.name?.text ?? 'Controller'}.${member.name.getText(context.sourceFile)}`,
          chain: [...classGuards, ...guardsOf(member, context)],
          handler: {
            label: 'handler',
            span: context.span(member),
            ...(body.authCheck ? { authCheck: body.authCheck } : {}),
            ...(body.checkAfterWork ? { checkAfterWork: body.checkAfterWork } : {}),
            ...(body.callsAtStart.length ? { callsAtStart: body.callsAtStart } : {}),
          },
          ...(publicByDesign ? { publicByDesign } : {}),
          globalGuardsApply: true,
          insertion: decoratorInsertion(member, context),
        });
      }
    }
  }
  return routes;
}

/** `app.useGlobalGuards(new JwtAuthGuard())`, `{ provide: APP_GUARD, useClass: JwtAuthGuard }`, `app.setGlobalPrefix('api')`. */
export function extractNestGlobals(context: JsFileContext): FileRouteFacts['nest'] {
  const globalGuards: ChainItem[] = [];
  let globalPrefix: string | undefined;
  const visit = (node: ts.Node, depth: number): void => {
    if (depth > 100) return;
    if (ts.isCallExpression(node)) {
      const callee = calleeName(node) ?? '';
      if (/\.useGlobalGuards$/.test(callee)) {
        for (const argument of node.arguments) {
          const value = skipWrappers(argument);
          globalGuards.push(...chainItemsOf(ts.isNewExpression(value) ? value.expression : value, context));
        }
      } else if (/\.setGlobalPrefix$/.test(callee)) {
        globalPrefix = stringValue(node.arguments[0]);
      }
    }
    if (ts.isObjectLiteralExpression(node) && propertyNamed(node, 'provide')?.initializer.getText(context.sourceFile) === 'APP_GUARD') {
      const guard = propertyNamed(node, 'useClass')?.initializer ?? propertyNamed(node, 'useExisting')?.initializer;
      if (guard) globalGuards.push(...chainItemsOf(guard, context));
    }
    ts.forEachChild(node, (child) => visit(child, depth + 1));
  };
  if (/useGlobalGuards|APP_GUARD|setGlobalPrefix/.test(context.file.text)) visit(context.sourceFile, 0);
  return globalGuards.length || globalPrefix !== undefined ? { globalGuards, ...(globalPrefix !== undefined ? { globalPrefix } : {}) } : undefined;
}

function guardsOf(node: ts.Node, context: JsFileContext): ChainItem[] {
  const items: ChainItem[] = [];
  for (const decorator of decoratorsOf(node)) {
    if (decoratorName(decorator) !== 'UseGuards') continue;
    for (const argument of decoratorArguments(decorator)) {
      const value = skipWrappers(argument);
      items.push(...chainItemsOf(ts.isNewExpression(value) ? value.expression : value, context));
    }
  }
  return items;
}

function publicMarker(node: ts.Node): string | undefined {
  for (const decorator of decoratorsOf(node)) {
    const name = decoratorName(decorator) ?? '';
    if (PUBLIC_DECORATOR.test(name)) return `@${name}() marks it public`;
    if (name === 'SetMetadata' && /public|anonymous|skip_?auth/i.test(stringValue(decoratorArguments(decorator)[0]) ?? '')) return 'SetMetadata marks it public';
  }
  return undefined;
}

function controllerPath(argument: ts.Expression | undefined): string {
  if (!argument) return '';
  const direct = stringValue(argument);
  if (direct !== undefined) return direct;
  if (ts.isObjectLiteralExpression(argument)) return stringValue(propertyNamed(argument, 'path')?.initializer) ?? '';
  return '';
}

export function joinPaths(...parts: string[]): string {
  const joined = parts.map((part) => part.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/');
  return `/${joined}`;
}

/** Start of the method's first decorator line: where `@UseGuards(…)` goes. */
function decoratorInsertion(member: ts.MethodDeclaration, context: JsFileContext): AuthInsertion {
  const start = member.getStart(context.sourceFile);
  const line = context.file.lines.positionAt(start).line;
  const lineStart = context.file.lines.lineStart(line);
  const indent = /^[ \t]*/.exec(context.file.lines.lineText(line))![0];
  return { offset: lineStart, kind: 'decorator', indent };
}
