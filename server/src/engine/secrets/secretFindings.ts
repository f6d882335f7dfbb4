import type { Finding, FixHint } from '../types';
import type { LineIndex } from '../text/lineIndex';
import type { LanguageInfo } from '../files/languages';
import type { SecretMatch } from './secretScanner';
import { maskSecret } from './redact';
import { browserExposure } from './browserBoundary';
import { chooseEnvName } from './envName';

export interface SecretFindingContext {
  filePath: string;
  text: string;
  lines: LineIndex;
  language: LanguageInfo;
  /** Set when the workspace knows the file belongs to a front-end-only app, with the reason. */
  browserOnlyProject?: string;
}

/** Turns raw matches into findings with plain messages and fix hints; the raw value stays behind. */
export function secretFinding(match: SecretMatch, context: SecretFindingContext): Finding {
  const { spec } = match.rule;
  const range = context.lines.rangeOf(match.secretStart, match.secretEnd);
  const lineText = context.lines.lineText(range.start.line);
  const exposure = browserExposure(context.filePath, context.text, lineText, context.browserOnlyProject);
  const masked = maskSecret(match.secret);
  const risk = spec.risk ? ` Anyone who has it can ${spec.risk}.` : '';

  const fixes: FixHint[] = [];
  let advice: string;
  if (exposure) {
    advice = ` It ships to the browser: ${exposure.because}. Every visitor can read it, and an environment variable would not hide it — call ${spec.provider} from server code and keep the key there.`;
    fixes.push({ kind: 'server-only', explanation: serverOnlyExplanation(spec.provider, exposure.because) });
  } else if (context.language.id === 'dotenv') {
    advice = ' Keep this file out of version control and load it at run time.';
  } else {
    advice = ' Read it from an environment variable instead.';
    const literal = enclosingLiteral(context.text, match.secretStart, match.secretEnd);
    if (literal && context.language.envLookup) {
      const lineStart = context.lines.lineStart(range.start.line);
      fixes.push({
        kind: 'move-to-env',
        envName: chooseEnvName(spec.envName, context.text.slice(lineStart, literal.start)),
        literalStart: literal.start,
        literalEnd: literal.end,
        secretStart: match.secretStart,
        secretEnd: match.secretEnd,
      });
    }
  }

  return {
    ruleId: spec.id,
    category: 'secret',
    severity: exposure ? 'error' : spec.severity,
    message: `${spec.title} (${masked}) is written in this file.${risk}${advice}`,
    file: context.filePath,
    range,
    startOffset: match.secretStart,
    endOffset: match.secretEnd,
    docsUrl: spec.docs,
    fixes,
    maskedSecret: masked,
    properties: {
      provider: spec.provider,
      ...(spec.rotate ? { rotateUrl: spec.rotate } : {}),
      ...(exposure ? { shipsToBrowser: true, browserReason: exposure.because } : {}),
    },
  };
}

function serverOnlyExplanation(provider: string, because: string): string {
  return `This key reaches the browser because ${because}. A key the browser can read is public, whatever variable holds it. ` +
    `Move the code that calls ${provider} into a server route, server action or backend function, read the key there ` +
    `from a server-only environment variable (no NEXT_PUBLIC_/VITE_/REACT_APP_/EXPO_PUBLIC_ prefix), and have the browser call that route. ` +
    'Then rotate the key, because it has already been exposed.';
}

/**
 * The string literal that holds the secret, quotes included, when the secret sits in one
 * plain literal on one line (no interpolation): that literal can be replaced by an env look-up.
 */
export function enclosingLiteral(text: string, secretStart: number, secretEnd: number): { start: number; end: number } | undefined {
  let open = secretStart - 1;
  while (open >= 0 && secretStart - open < 4096) {
    const code = text.charCodeAt(open);
    if (code === 10) return undefined;
    if (code === 34 || code === 39 || code === 96) break;
    open--;
  }
  if (open < 0) return undefined;
  const quote = text[open];
  if (open > 0 && text[open - 1] === '\\') return undefined;
  let close = secretEnd;
  while (close < text.length && close - secretEnd < 4096) {
    const char = text[close];
    if (char === '\n') return undefined;
    if (char === '\\') {
      close += 2;
      continue;
    }
    if (char === quote) break;
    close++;
  }
  if (text[close] !== quote) return undefined;
  const content = text.slice(open + 1, close);
  if (quote === '`' && content.includes('${')) return undefined;
  // Python f-strings interpolate with braces; replacing them would change the value.
  if (open > 0 && /[fF]/.test(text[open - 1]) && content.includes('{')) return undefined;
  return { start: open, end: close + 1 };
}
