// Deterministic, well-formed but fake credentials for the seeded app. Prefixes are assembled at run
// time so this source file itself contains no credential-shaped string.

/** mulberry32: a small seeded PRNG, so the corpus is the same on every run. */
export function prng(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const ALNUM = UPPER + LOWER + DIGITS;
const HEX = '0123456789abcdef';
const B64 = ALNUM + '+/';
const URLSAFE = ALNUM + '_-';

const j = (...parts) => parts.join('');

/**
 * Each kind of secret the app carries: the value and a label. Covers providers both secretlint's
 * recommended preset and Shipshape know, and some only one of them knows.
 */
export function makeSecrets(seed = 20240611) {
  const random = prng(seed);
  const pick = (alphabet, length) => {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(random() * alphabet.length)];
    return out;
  };
  const pemBody = () => {
    const body = pick(B64, 1588) + '==';
    return body.match(/.{1,64}/g).join('\n');
  };
  return {
    awsKeyId: j('AK', 'IA', pick('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)),
    awsSecret: pick(ALNUM + '/+', 40),
    githubToken: j('gh', 'p_', pick(ALNUM, 36)),
    slackBot: j('xo', 'xb-', pick(DIGITS, 12), '-', pick(DIGITS, 13), '-', pick(ALNUM, 24)),
    slackWebhook: j('https://hooks.', 'slack.com/services/T', pick(UPPER + DIGITS, 8), '/B', pick(UPPER + DIGITS, 10), '/', pick(ALNUM, 24)),
    openaiProject: j('sk-', 'proj-', pick(URLSAFE, 74), 'T3Blbk', 'FJ', pick(URLSAFE, 74)),
    anthropic: j('sk-', 'ant-', 'api03-', pick(URLSAFE, 93), 'AA'),
    sendgrid: j('S', 'G.', pick(URLSAFE, 22), '.', pick(URLSAFE, 43)),
    npmToken: j('np', 'm_', pick(ALNUM, 36)),
    stripeLive: j('sk', '_live_', '51', pick(ALNUM, 97)),
    shopify: j('shp', 'at_', pick(HEX, 32)),
    linear: j('lin', '_api_', pick(ALNUM, 40)),
    huggingface: j('h', 'f_', pick(UPPER + LOWER, 34)),
    googleApiKey: j('AI', 'za', pick(URLSAFE, 35)),
    dbPassword: pick(ALNUM, 20),
    deployPassword: pick(ALNUM, 18),
    jwtSecret: pick(ALNUM, 32),
    sessionSecret: pick(ALNUM, 28),
    privateKeyPem: j('-----BEGIN ', 'RSA PRIVATE KEY-----\n', pemBody(), '\n-----END ', 'RSA PRIVATE KEY-----'),
    serviceAccountKeyPem: j('-----BEGIN ', 'PRIVATE KEY-----\n', pemBody(), '\n-----END ', 'PRIVATE KEY-----\n'),
    random,
    pick,
  };
}
