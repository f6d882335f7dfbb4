import ts = require('typescript');
import { dottedName, isDefaultExport, isExported } from '../../js/astUtil';
import type { ExportFact } from '../routeFacts';
import { requiredModule } from './jsFileContext';

/** What a module exports, ES module and CommonJS style, so other files' imports can be resolved. */
export function exportsOf(sourceFile: ts.SourceFile): ExportFact[] {
  const exports: ExportFact[] = [];
  for (const statement of sourceFile.statements) {
    if (ts.isExportAssignment(statement)) {
      const local = ts.isIdentifier(statement.expression) ? statement.expression.text : 'default';
      exports.push({ exported: 'default', local });
    } else if (ts.isExportDeclaration(statement)) {
      const module = statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : undefined;
      const clause = statement.exportClause;
      if (!clause && module) exports.push({ exported: '*', module, imported: '*' });
      else if (clause && ts.isNamedExports(clause)) {
        for (const element of clause.elements) {
          const local = (element.propertyName ?? element.name).text;
          exports.push(module ? { exported: element.name.text, module, imported: local } : { exported: element.name.text, local });
        }
      } else if (clause && ts.isNamespaceExport(clause) && module) {
        exports.push({ exported: clause.name.text, module, imported: '*' });
      }
    } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && isExported(statement)) {
      const name = statement.name?.text ?? 'default';
      exports.push({ exported: isDefaultExport(statement) ? 'default' : name, local: name });
    } else if (ts.isVariableStatement(statement) && isExported(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name)) exports.push({ exported: declaration.name.text, local: declaration.name.text });
      }
    } else if (ts.isExpressionStatement(statement) && ts.isBinaryExpression(statement.expression) && statement.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      commonJsExport(statement.expression, exports);
    }
  }
  return exports;
}

/** module.exports = x, module.exports = { a, b }, exports.a = x, module.exports.a = x. */
function commonJsExport(assignment: ts.BinaryExpression, exports: ExportFact[]): void {
  const target = dottedName(assignment.left);
  const value = assignment.right;
  if (target === 'module.exports') {
    if (ts.isIdentifier(value)) exports.push({ exported: 'default', local: value.text });
    else if (ts.isObjectLiteralExpression(value)) {
      for (const property of value.properties) {
        if (ts.isShorthandPropertyAssignment(property)) exports.push({ exported: property.name.text, local: property.name.text });
        else if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.initializer) && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))) {
          exports.push({ exported: property.name.text, local: property.initializer.text });
        }
      }
    } else {
      const required = requiredModule(value);
      if (required) exports.push({ exported: '*', module: required, imported: '*' });
      else exports.push({ exported: 'default', local: 'default' });
    }
    return;
  }
  const named = /^(?:module\.)?exports\.(\w+)$/.exec(target ?? '');
  if (named) exports.push({ exported: named[1], local: ts.isIdentifier(value) ? value.text : named[1] });
}
