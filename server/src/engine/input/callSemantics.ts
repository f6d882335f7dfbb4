import ts = require('typescript');
import { literalText } from '../js/flowSyntax';
import type { CalleeMatcher, InputRuleData } from './ruleData';
import type { CallSite } from './sinkMatcher';
import { asText, deepTaints, mergeAll, type Taint, type Value } from './taint';

/**
 * What calls mean for request input, from the tables in rules/input/validators.json and
 * sources.json: which callee is a validator, a sanitiser, a function that passes input
 * through, or a source; and which methods keep input as text, test it, or hand it to a callback.
 */

export const BOOLEAN_METHODS = new Set(['includes', 'startsWith', 'endsWith', 'test', 'indexOf', 'lastIndexOf', 'has', 'localeCompare', 'search', 'every', 'some', 'findIndex', 'findLastIndex', 'hasOwnProperty', 'charCodeAt', 'codePointAt', 'isEmpty', 'equals']);
export const TEXT_METHODS = new Set(['toLowerCase', 'toUpperCase', 'toLocaleLowerCase', 'toLocaleUpperCase', 'trim', 'trimStart', 'trimEnd', 'toString', 'replace', 'replaceAll', 'substring', 'substr', 'padStart', 'padEnd', 'normalize', 'split', 'charAt', 'repeat', 'join', 'concat', 'slice', 'at', 'toJSON', 'valueOf', 'format']);
export const ARRAY_CALLBACKS = new Set(['map', 'forEach', 'filter', 'find', 'findLast', 'some', 'every', 'flatMap', 'sort']);
export const MUTATING_METHODS = new Set(['push', 'unshift']);

export class CallSemantics {
  constructor(private readonly data: InputRuleData, private readonly validators: ReadonlySet<string>) {}

  matches(matcher: CalleeMatcher, site: CallSite, receiver: () => string): boolean {
    const name = site.calleeModule ? exportName(site.calleeModule.path) : site.method ?? site.globalName;
    if (!name || !matcher.names.has(name)) return false;
    if (matcher.modules) return !!site.calleeModule && matcher.modules.has(site.calleeModule.name);
    if (matcher.global) return site.globalName === name;
    if (!site.method) return false;
    if (matcher.receiver && !matcher.receiver.test(receiver())) return false;
    if (matcher.receiverNot && matcher.receiverNot.test(receiver())) return false;
    return true;
  }

  findMatcher<T>(list: Map<string, CalleeMatcher<T>[]>, site: CallSite, receiver: () => string): CalleeMatcher<T> | undefined {
    return (
      this.matcherNamed(list, site.calleeModule && exportName(site.calleeModule.path), site, receiver) ??
      this.matcherNamed(list, site.method, site, receiver) ??
      this.matcherNamed(list, site.globalName, site, receiver)
    );
  }

  private matcherNamed<T>(list: Map<string, CalleeMatcher<T>[]>, name: string | undefined, site: CallSite, receiver: () => string): CalleeMatcher<T> | undefined {
    const matchers = name === undefined ? undefined : list.get(name);
    if (matchers) for (const matcher of matchers) if (this.matches(matcher, site, receiver)) return matcher;
    return undefined;
  }

  matchList<T>(list: Map<string, CalleeMatcher<T>[]>, site: CallSite, receiver: () => string): T | undefined {
    return this.findMatcher(list, site, receiver)?.data;
  }

  isValidation(site: CallSite, calleeValue: Value | undefined, calleeName: string | undefined, receiver: () => string): boolean {
    if (calleeValue?.validator) return true;
    if (calleeName && this.validators.has(calleeName)) return true;
    if (this.findMatcher(this.data.validatorFunctions, site, receiver)) return true;
    return !site.calleeModule && this.matches(this.data.parseMethods, site, receiver) && site.args.length > 0;
  }

  propagate(result: 'string' | 'object' | 'same' | 'fields', args: readonly (Value | undefined)[]): Value | undefined {
    switch (result) {
      case 'string':
        return asText(mergeAll(args.map((arg) => deepTaints(arg))));
      case 'same':
        return args[0];
      case 'fields':
        return args[0]?.taints ? { taints: args[0].taints.map((taint) => ({ ...taint, whole: false })) } : undefined;
      case 'object': {
        const taints: Taint[] = [];
        // An object built from input (JSON.parse, Object.fromEntries(formData), a clone) has keys the client chose.
        for (const value of args) for (const taint of value?.taints ?? []) if (taints.length < 4) taints.push({ ...taint, structured: true, whole: true });
        const props = new Map<string, Value | undefined>();
        for (const value of args) for (const [key, inner] of value?.props ?? []) props.set(key, inner);
        return taints.length || props.size ? { ...(taints.length ? { taints } : {}), ...(props.size ? { props } : {}) } : undefined;
      }
    }
  }
}

/**
 * `x.replace(/[^a-z0-9_-]/g, '')`: removing every character outside a small allowlist of
 * letters, digits, `_`, `-` and spaces leaves nothing that can break out of SQL, a shell
 * command, a path or HTML.
 */
export function keepsOnlySafeCharacters(args: readonly ts.Expression[]): boolean {
  const [pattern, replacement] = args;
  if (!pattern || !ts.isRegularExpressionLiteral(pattern) || literalText(replacement) !== '') return false;
  const match = /^\/\[\^((?:\\.|[^\]\\])*)\]\+?\/([a-z]*)$/.exec(pattern.text);
  if (!match || !match[2].includes('g')) return false;
  const allowed = match[1].replace(/a-z|A-Z|0-9|\\w|\\d|\\-|\\s|_|-$|^-| /g, '');
  return allowed === '';
}

export function exportName(path: readonly string[]): string {
  for (let index = path.length - 1; index >= 0; index--) if (path[index] !== 'default') return path[index];
  return 'default';
}
