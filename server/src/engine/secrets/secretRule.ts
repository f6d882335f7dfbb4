import type { Severity } from '../types';

/** A secret rule as written in rules/secrets/*.json (see rules/schema/secret-rules.schema.json). */
export interface SecretRuleSpec {
  id: string;
  title: string;
  provider: string;
  severity: Severity;
  /** Lower-case literals; a rule's regex only runs near one of them. */
  keywords: string[];
  regex: string;
  /** Regex flags besides the ones the engine adds (only "i" is allowed). */
  flags?: string;
  /** Capture group holding the secret value (0 = the whole match). */
  secretGroup?: number;
  /** Minimum Shannon entropy (bits per character) of the secret value. */
  entropy?: number;
  allowlist?: {
    /** Patterns that, when they match the secret value, mean it is not a secret. */
    regexes?: string[];
    /** Lower-case substrings that mark placeholders ("example", "your_key", …). */
    stopwords?: string[];
    /** Patterns that, when they match the text around the match, mean the value is harmless. */
    context?: string[];
  };
  /** Code check run after the regex, for what a regex cannot decide (e.g. a JWT's role). */
  check?: SecretCheckName;
  /** For secrets spanning lines (private keys, JSON credentials): how far past the keyword to look. */
  multilineWindow?: number;
  /** A generic rule: quiet in tests/docs/lock files, and loses to provider rules on overlap. */
  generic?: boolean;
  /** Which files the rule applies to, by language id (default: all). */
  languages?: string[];
  /** What a leak lets an attacker do, in plain words (completes "Anyone who has it can …"). */
  risk?: string;
  /** Name suggested for the environment variable when the secret is moved out of the code. */
  envName: string;
  docs: string;
  rotate?: string;
  examples: { positive: RuleExample[]; negative: RuleExample[] };
}

/** Text a rule must (positive) or must not (negative) report, analysed as `path` (default src/example.ts). */
export type RuleExample = string | { text: string; path?: string };

export type SecretCheckName =
  | 'jwt-service-role'
  | 'jwt-any'
  | 'url-password'
  | 'not-placeholder-password'
  | 'private-key-body';

/** One regex match inside a window, offsets relative to the window. */
export interface WindowMatch {
  start: number;
  end: number;
  secretStart: number;
  secretEnd: number;
}

/** Anything that can say whether a pattern occurs in a text (RegExp, or a linear-time engine). */
export interface PatternTest {
  test(text: string): boolean;
}

/** A rule ready to run: patterns compiled once. */
export interface CompiledSecretRule {
  spec: SecretRuleSpec;
  /** Every match of the rule's pattern in a window of text. */
  findAll(window: string): WindowMatch[];
  allowRegexes: PatternTest[];
  stopwords: string[];
  contextRegexes: PatternTest[];
  languages?: ReadonlySet<string>;
  /** Set for rules that come from a workspace's .shipshape.json rather than the product. */
  fromWorkspace?: boolean;
}
