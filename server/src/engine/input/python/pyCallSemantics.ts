import type { PyCallee, PyPropagation } from './pyRuleData';
import type { PyCallSite } from './pySinks';
import { receiverCode } from './pySinks';
import type { PyExpr } from '../../python/ast';
import { bracePieces, percentPieces } from './pyStrings';
import { addTaints, asText, concatenate, deepTaints, mergeAll, type PyTaint, type PyValue } from './pyValues';

/**
 * What calls mean for request input, from rules/input/validators.json (`python`): which
 * callee validates, sanitises (and for which kinds of sink), or passes input through; and
 * what Python's own string, dict and list methods do with it.
 */

export const TEXT_METHODS = new Set([
  'strip', 'lstrip', 'rstrip', 'lower', 'upper', 'title', 'capitalize', 'casefold', 'swapcase', 'replace', 'encode', 'decode',
  'zfill', 'ljust', 'rjust', 'center', 'removeprefix', 'removesuffix', 'expandtabs', 'translate', 'format_map', 'strftime',
]);
export const SPLIT_METHODS = new Set(['split', 'rsplit', 'splitlines', 'partition', 'rpartition']);
export const BOOLEAN_METHODS = new Set([
  'startswith', 'endswith', 'isdigit', 'isdecimal', 'isnumeric', 'isalnum', 'isalpha', 'isidentifier', 'isascii', 'islower',
  'isupper', 'isspace', 'istitle', 'isprintable', 'find', 'rfind', 'index', 'rindex', 'count', '__contains__', 'is_valid',
  'validate_on_submit', 'exists', 'is_file', 'is_dir', 'has_key',
]);
export const MUTATING_METHODS = new Set(['append', 'extend', 'insert', 'add', 'update', 'appendleft', 'setdefault']);

export class PyCallSemantics {
  constructor(private readonly text: string) {}

  /** The first entry of `list` that describes this call's callee. */
  match<T>(list: Map<string, PyCallee<T>[]>, site: PyCallSite): PyCallee<T> | undefined {
    if (site.name !== undefined && site.module !== undefined) {
      for (const matcher of list.get(site.name) ?? []) if (matcher.modules?.has(site.module)) return matcher;
    }
    if (site.builtin !== undefined) {
      for (const matcher of list.get(site.builtin) ?? []) if (matcher.builtin) return matcher;
    }
    if (site.method !== undefined) {
      for (const matcher of list.get(site.method) ?? []) {
        if (matcher.receiver && matcher.receiver.test(receiverCode(site.receiverNode, this.text))) return matcher;
      }
    }
    return undefined;
  }

  propagate(result: PyPropagation, site: PyCallSite, urlOf: string | undefined): PyValue | undefined {
    const args = site.argValues;
    switch (result) {
      case 'string':
        return asText(mergeAll(args.map((arg) => deepTaints(arg))));
      case 'same':
        return args[0];
      case 'fields': {
        const taints: PyTaint[] = [];
        addTaints(taints, args[0]?.taints, (taint) => ({ ...taint, whole: false }));
        return taints.length ? { taints } : undefined;
      }
      case 'object': {
        const taints: PyTaint[] = [];
        // A dict built from input (json.loads, dict(request.form)) has keys the client chose.
        for (const value of args) addTaints(taints, value?.taints, (taint) => ({ ...taint, structured: true, whole: true }));
        return taints.length ? { taints } : undefined;
      }
      case 'path': {
        const text = concatenate(args.map((arg) => asText(arg) ?? arg));
        return { ...(text?.taints ? { taints: text.taints } : {}), kind: 'path' };
      }
      case 'argv': {
        const text = asText(args[0]);
        return { ...(text?.taints ? { taints: text.taints } : {}), kind: 'argv' };
      }
      case 'url': {
        const text = asText(args[0]);
        return { ...(text?.taints ? { taints: text.taints } : {}), kind: 'url', ...(urlOf ? { urlOf } : {}) };
      }
    }
  }
}

/** `"… %s …" % x`, `"… %(name)s" % {"name": x}`: the format with the values in its holes. */
export function percentFormat(format: PyValue | undefined, argumentNode: PyExpr, argument: PyValue | undefined): PyValue | undefined {
  const pieces = format?.shape !== undefined && !format.taints ? percentPieces(format.shape) : undefined;
  if (!pieces) return concatenate([format, asText(argument)]);
  const single = argumentNode.type !== 'Tuple' && argumentNode.type !== 'Dict';
  const parts = pieces.map((piece): PyValue | undefined => {
    if ('text' in piece) return { shape: piece.text, literal: true };
    const value = single ? argument : argument?.props?.get(String(piece.key)) ?? (argument?.taints ? argument : undefined);
    return /[diouxXeEfFgGc]$/.test(piece.spec) ? { shape: '0' } : asText(value) ?? (value?.shape !== undefined ? { shape: value.shape } : undefined);
  });
  return concatenate(parts);
}

/** `"… {} …".format(a, name=b)`. */
export function braceFormat(format: PyValue, site: PyCallSite): PyValue | undefined {
  const pieces = format.shape !== undefined && !format.taints ? bracePieces(format.shape) : undefined;
  const all = mergeAll([...site.argValues, ...[...site.keywords.values()].map((keyword) => keyword.value), ...site.kwargs.map((kwargs) => kwargs.value)]);
  if (!pieces) return concatenate([format, asText(all)]);
  const parts = pieces.map((piece): PyValue | undefined => {
    if ('text' in piece) return { shape: piece.text, literal: true };
    const value = typeof piece.key === 'number' ? site.argValues[piece.key] : site.keywords.get(piece.key)?.value ?? (site.kwargs.length ? asText(all) : undefined);
    return asText(value) ?? (value?.shape !== undefined ? { shape: value.shape } : undefined);
  });
  return concatenate(parts);
}
