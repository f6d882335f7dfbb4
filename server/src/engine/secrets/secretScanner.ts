import { KeywordIndex } from '../text/keywordIndex';
import type { CompiledSecretRule } from './secretRule';
import { shannonEntropy } from './entropy';
import { isIndirection, isPlaceholder } from './placeholders';
import { SECRET_CHECKS } from './checks';
import { isPublishable } from './publishable';

/** A candidate secret: where it is and which rule found it. Holds the raw value, so it never leaves the engine. */
export interface SecretMatch {
  rule: CompiledSecretRule;
  start: number;
  end: number;
  secretStart: number;
  secretEnd: number;
  secret: string;
}

export interface SecretScanOptions {
  /** Language id of the file (rules may be limited to some languages). */
  languageId: string;
  /** Run generic (name = value) rules; off for lock files, tests, docs and minified files. */
  generic: boolean;
  /** Stop after this many matches, so one generated file cannot flood the results. */
  maxMatches: number;
}

/** How far around a keyword a single-line window reaches on very long (minified) lines. */
const WINDOW_REACH = 600;
/** A hit this close to the end of the last window gets a window of its own, so a secret after it is not cut off. */
const WINDOW_MARGIN = 300;

/**
 * Runs secret rules over text: one Aho-Corasick pass finds keyword hits, then each rule's
 * regex runs only on the line (or, for multi-line rules, the stretch) around its hits.
 */
export class SecretScanner {
  private readonly index: KeywordIndex;
  /** For each keyword id, the rules that asked for it. */
  private readonly rulesByKeyword: CompiledSecretRule[][];

  /** How many of the index's keywords are the rules' (the rest are `markedWords`). */
  private readonly reported: number;
  private readonly scratchMarks: Uint32Array;

  /**
   * `markedWords`: words other analyses only ask the presence of, found in the same pass
   * (`scan`'s `marks`: bit i for markedWords[i], ignoring case) instead of a pass of their own.
   */
  constructor(readonly rules: readonly CompiledSecretRule[], markedWords: readonly string[] = []) {
    const keywordIds = new Map<string, number>();
    const rulesByKeyword: CompiledSecretRule[][] = [];
    for (const rule of rules) {
      for (const raw of rule.spec.keywords) {
        const keyword = raw.toLowerCase();
        let id = keywordIds.get(keyword);
        if (id === undefined) {
          id = keywordIds.size;
          keywordIds.set(keyword, id);
          rulesByKeyword.push([]);
        }
        if (!rulesByKeyword[id].includes(rule)) rulesByKeyword[id].push(rule);
      }
    }
    this.index = new KeywordIndex([...keywordIds.keys(), ...markedWords.map((word) => word.toLowerCase())]);
    this.reported = keywordIds.size;
    this.scratchMarks = new Uint32Array(Math.ceil(markedWords.length / 32));
    this.rulesByKeyword = rulesByKeyword;
  }

  scan(text: string, options: SecretScanOptions, marks?: Uint32Array): SecretMatch[] {
    const matches: SecretMatch[] = [];
    const seen = new Set<string>();
    // The last window searched per rule: hits it already covers share its regex run (on a
    // minified line or a run of repeated characters that keeps the scan linear).
    const lastWindow = new Map<CompiledSecretRule, { start: number; end: number }>();
    const keywords = this.index.keywords;
    let stopped = false;

    const onHit = (keywordId: number, hitEnd: number): void => {
      if (stopped) return;
      const hitStart = hitEnd - keywords[keywordId].length;
      for (const rule of this.rulesByKeyword[keywordId]) {
        if (rule.spec.generic && !options.generic) continue;
        if (rule.languages && !rule.languages.has(options.languageId)) continue;
        // Checked before the window is measured: measuring costs up to 1,200 character reads.
        const previous = lastWindow.get(rule);
        if (previous && hitStart >= previous.start && hitEnd + WINDOW_MARGIN <= previous.end) continue;
        const windowStart = lineStartNear(text, hitStart);
        if (previous && previous.start === windowStart && !rule.spec.multilineWindow) continue;
        const windowEnd = rule.spec.multilineWindow
          ? Math.min(text.length, hitStart + rule.spec.multilineWindow)
          : lineEndNear(text, hitEnd);
        lastWindow.set(rule, { start: windowStart, end: windowEnd });
        const window = text.slice(windowStart, windowEnd);
        for (const found of rule.findAll(window)) {
          const secretStart = windowStart + found.secretStart;
          const key = `${rule.spec.id}:${secretStart}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const secret = text.slice(secretStart, windowStart + found.secretEnd);
          if (!isAccepted(rule, secret, window)) continue;
          matches.push({ rule, start: windowStart + found.start, end: windowStart + found.end, secretStart, secretEnd: secretStart + secret.length, secret });
          if (matches.length >= options.maxMatches) {
            stopped = true;
            return;
          }
        }
      }
    };
    // Marked words never reach onHit; without `marks` their bits go to a scratch array nobody reads.
    this.index.scanAndMark(text, this.reported, onHit, marks ?? this.scratchMarks);
    return resolveOverlaps(matches);
  }
}

function isAccepted(rule: CompiledSecretRule, secret: string, window: string): boolean {
  const spec = rule.spec;
  if (secret.length === 0) return false;
  if (spec.entropy !== undefined && shannonEntropy(secret) < spec.entropy) return false;
  if (isPlaceholder(secret) || isIndirection(secret)) return false;
  const lower = secret.toLowerCase();
  if (rule.stopwords.some((word) => lower.includes(word))) return false;
  if (rule.allowRegexes.some((pattern) => pattern.test(secret))) return false;
  if (rule.contextRegexes.some((pattern) => pattern.test(window))) return false;
  if (spec.check && SECRET_CHECKS[spec.check](secret) !== undefined) return false;
  if (spec.generic && isPublishable(secret, window)) return false;
  return true;
}

/** Keeps one finding per secret: provider rules win over generic ones, then the longer match. */
function resolveOverlaps(matches: SecretMatch[]): SecretMatch[] {
  if (matches.length < 2) return matches;
  matches.sort((a, b) => a.secretStart - b.secretStart || rank(b) - rank(a));
  const kept: SecretMatch[] = [];
  for (const match of matches) {
    const previous = kept[kept.length - 1];
    if (previous && match.secretStart < previous.secretEnd) {
      if (rank(match) > rank(previous)) kept[kept.length - 1] = match;
      continue;
    }
    kept.push(match);
  }
  return kept;
}

function rank(match: SecretMatch): number {
  return (match.rule.spec.generic ? 0 : 1_000_000) + (match.secretEnd - match.secretStart);
}

function lineStartNear(text: string, offset: number): number {
  const limit = Math.max(0, offset - WINDOW_REACH);
  for (let i = offset - 1; i >= limit; i--) if (text.charCodeAt(i) === 10) return i + 1;
  return limit;
}

function lineEndNear(text: string, offset: number): number {
  const limit = Math.min(text.length, offset + WINDOW_REACH);
  for (let i = offset; i < limit; i++) if (text.charCodeAt(i) === 10) return i;
  return limit;
}
