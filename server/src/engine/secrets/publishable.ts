/**
 * Keys made to be public: they sit in every web page that uses the service, so reporting them
 * as leaked secrets would be a false alarm. Provider rules never match them; the generic
 * name = value rules consult this before reporting.
 */

const PUBLISHABLE_VALUES: RegExp[] = [
  /^pk_(?:live|test)_[0-9A-Za-z]{10,}$/, // Stripe publishable key
  /^pk\.eyJ[\w.-]{20,}$/, // Mapbox public token
  /^phc_[0-9A-Za-z]{20,}$/, // PostHog project key
  /^sb_publishable_[\w-]{10,}$/, // Supabase publishable key
  /^6L[0-9A-Za-z_-]{38}$/, // reCAPTCHA site key
  /^pk_(?:live|test)_[A-Za-z0-9+/=]{20,}$/, // Clerk publishable key
];

/** Variable names that say the value is meant for browsers. */
const PUBLISHABLE_NAME = /(?:publishable|anon(?:ymous)?[_-]?key|firebase[_-]?(?:web[_-]?)?api[_-]?key|maps[_-]?api[_-]?key|recaptcha[_-]?site|site[_-]?key|search[_-]?(?:only[_-]?)?(?:api[_-]?)?key|measurement[_-]?id|posthog[_-]?key|public[_-]?key|client[_-]?id)/i;

/** Firebase web configs carry their apiKey next to authDomain/projectId: public by design. */
const FIREBASE_CONFIG_LINE = /\bapiKey\s*:\s*["'`]AIza[0-9A-Za-z_-]{35}["'`]/;

export function isPublishable(value: string, window: string): boolean {
  if (PUBLISHABLE_VALUES.some((pattern) => pattern.test(value))) return true;
  if (FIREBASE_CONFIG_LINE.test(window)) return true;
  const assigned = /([A-Za-z_$][\w$.-]{0,80})["'`\]]{0,2}\s{0,5}[:=]/.exec(window);
  return assigned !== null && PUBLISHABLE_NAME.test(assigned[1]);
}
