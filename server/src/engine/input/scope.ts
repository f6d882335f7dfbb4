import type ts = require('typescript');
import type { FunctionNode } from '../js/flowSyntax';
import type { HandlerContext } from './handlers';
import type { Summary, Value } from './taint';

/** Lexical scopes and function frames of the input analysis. */

export type BindingKind = 'const' | 'let' | 'var' | 'param' | 'function' | 'class' | 'import';

export interface Binding {
  value: Value | undefined;
  kind: BindingKind;
  /** Branch depth of the declaration: assignments deeper than it join instead of replace. */
  depth: number;
  frame: Frame;
  declaration?: ts.Node;
}

export class Frame {
  depth = 0;
  readonly returns: (Value | undefined)[] = [];
  constructor(readonly fn: FunctionNode | undefined, readonly handler: HandlerContext | undefined, readonly summary: Summary | undefined) {}
}

export class Scope {
  /** Created on first declaration: most block scopes declare nothing. */
  private variables: Map<string, Binding> | undefined;
  refined: Map<string, Value | undefined> | undefined;
  constructor(readonly parent: Scope | undefined, readonly frame: Frame) {}

  declare(name: string, binding: Binding): void {
    (this.variables ??= new Map()).set(name, binding);
  }

  declares(name: string): boolean {
    return !!this.variables?.has(name);
  }

  lookup(name: string): Binding | undefined {
    for (let scope: Scope | undefined = this; scope; scope = scope.parent) {
      const binding = scope.variables?.get(name);
      if (binding) return binding;
    }
    return undefined;
  }

  /** Whether any scope in reach holds a refinement: when none does, paths need not even be spelled out. */
  hasRefinements(): boolean {
    for (let scope: Scope | undefined = this; scope; scope = scope.parent) if (scope.refined?.size) return true;
    return false;
  }

  refinement(key: string): { value: Value | undefined } | undefined {
    const dot = key.indexOf('.');
    const root = dot === -1 ? key : key.slice(0, dot);
    for (let scope: Scope | undefined = this; scope; scope = scope.parent) {
      if (scope.refined?.has(key)) return { value: scope.refined.get(key) };
      // Refinements further out than the variable's declaration are about another variable.
      if (scope.declares(root)) return undefined;
    }
    return undefined;
  }
}
