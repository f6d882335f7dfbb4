/**
 * Values that are obviously not real secrets: documentation placeholders, template
 * variables, environment look-ups, masked values. Shared by every secret rule.
 */

const PLACEHOLDER_WORDS = [
  'example', 'placeholder', 'your_', 'your-', 'yourkey', 'your key', 'insert', 'replace', 'changeme', 'change_me',
  'change-me', 'dummy', 'redacted', 'fake', 'sample', 'xxxx', '****', '....', '<', '>', '${', '{{', '}}', '%s', '%(', 'todo',
  'lorem', 'not_a_real', 'notareal', 'not-a-real', 'foobar',
];

/** True when the value is a placeholder rather than a credential. */
export function isPlaceholder(value: string): boolean {
  const lower = value.toLowerCase();
  for (const word of PLACEHOLDER_WORDS) if (lower.includes(word)) return true;
  if (/^(.)\1+$/.test(value)) return true;
  return hasLongRun(value) || isSequential(lower);
}

/** Seven or more of the same character in a row: "sk_live_0000000000". */
function hasLongRun(value: string): boolean {
  let run = 1;
  for (let i = 1; i < value.length; i++) {
    run = value.charCodeAt(i) === value.charCodeAt(i - 1) ? run + 1 : 1;
    if (run >= 7) return true;
  }
  return false;
}

const SEQUENCES = ['0123456789', 'abcdefghijklmnopqrstuvwxyz', 'qwertyuiop', '9876543210'];

function isSequential(lower: string): boolean {
  for (const sequence of SEQUENCES) {
    for (let i = 0; i + 8 <= sequence.length; i++) if (lower.includes(sequence.slice(i, i + 8))) return true;
  }
  return false;
}

/** Values that read a secret from somewhere else instead of holding it. */
const INDIRECTION = /^(?:process\.env|import\.meta\.env|os\.environ|os\.getenv|env\(|getenv|System\.getenv|ENV\[|\$\{?[A-Z_][A-Z0-9_]*\}?$|\$\(|secrets\.|vars\.|config\.|settings\.|keyof\b|typeof\b)/;

export function isIndirection(value: string): boolean {
  return INDIRECTION.test(value);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}
