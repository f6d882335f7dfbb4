import type { SecretCheckName } from './secretRule';
import { shannonEntropy } from './entropy';

/**
 * Decisions a regular expression cannot make, named by rules in their `check` field.
 * Each returns undefined when the value passes, or the reason it is not a secret.
 */

export type SecretCheck = (secret: string) => string | undefined;

const TEMPLATED = /^[$%{<[]/;
const PLACEHOLDER_PASSWORD = /^(password|passwd|secret|changeme|admin|root|test|testing|postgres|mysql|guest|default|none|null|undefined|true|false)\d*$/;
const LOWER_CASE_WORD = /^[a-z]+$/;
const PEM_MARKER = /-----[^-]+-----/g;
const PEM_NOISE = /\\n|\s|"|'|\+/g;

/** The regular expressions the checks use, exported so the tests can prove them safe from catastrophic backtracking. */
export const CHECK_PATTERNS: Readonly<Record<string, RegExp>> = { TEMPLATED, PLACEHOLDER_PASSWORD, LOWER_CASE_WORD, PEM_MARKER, PEM_NOISE };

export const SECRET_CHECKS: Record<SecretCheckName, SecretCheck> = {
  'jwt-service-role': (secret) => {
    const payload = decodeJwtPayload(secret);
    if (!payload) return 'not a JWT';
    return payload.role === 'service_role' ? undefined : `role is ${String(payload.role ?? 'missing')}`;
  },
  'jwt-any': (secret) => {
    const payload = decodeJwtPayload(secret);
    if (!payload) return 'not a JWT';
    // Supabase anon keys are meant for browsers; they are publishable, not secret.
    if (payload.role === 'anon') return 'publishable Supabase anon key';
    return undefined;
  },
  'url-password': (secret) => {
    const lower = secret.toLowerCase();
    if (['password', 'pass', 'passwd', 'pwd', 'secret', 'user', 'username', 'root', 'postgres', 'admin', 'changeme', 'test', 'xxx', 'guest'].includes(lower)) {
      return 'placeholder password';
    }
    if (TEMPLATED.test(secret) || secret.includes('${')) return 'templated password';
    return undefined;
  },
  'not-placeholder-password': (secret) => {
    const lower = secret.toLowerCase();
    if (PLACEHOLDER_PASSWORD.test(lower)) {
      return 'placeholder password';
    }
    if (LOWER_CASE_WORD.test(lower) && lower.length < 10) return 'single lower-case word';
    if (shannonEntropy(secret) < 2.5) return 'low entropy';
    return undefined;
  },
  'private-key-body': (secret) => {
    // A real key block carries hundreds of base64 characters; documentation shows "..." instead.
    const body = secret.replace(PEM_MARKER, '').replace(PEM_NOISE, '');
    return body.length >= 64 && shannonEntropy(body) > 4.5 ? undefined : 'no key material';
  },
};

interface JwtPayload {
  role?: unknown;
  [key: string]: unknown;
}

export function decodeJwtPayload(token: string): JwtPayload | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const json = Buffer.from(parts[1].replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
    const payload: unknown = JSON.parse(json);
    return payload && typeof payload === 'object' ? (payload as JwtPayload) : undefined;
  } catch {
    return undefined;
  }
}
