/**
 * Decides whether a secret sits where it ships to the browser: then hiding it in an
 * environment variable does not help, because the bundler copies the value into the page.
 */

const PUBLIC_ENV_PREFIX = /\b(NEXT_PUBLIC_|VITE_|REACT_APP_|EXPO_PUBLIC_|NUXT_PUBLIC_|GATSBY_|PUBLIC_)[A-Z0-9_]*/;

const FRAMEWORK_OF_PREFIX: Record<string, string> = {
  NEXT_PUBLIC_: 'Next.js',
  VITE_: 'Vite',
  REACT_APP_: 'Create React App',
  EXPO_PUBLIC_: 'Expo',
  NUXT_PUBLIC_: 'Nuxt',
  GATSBY_: 'Gatsby',
  PUBLIC_: 'SvelteKit',
};

const USE_CLIENT = /^(?:\s|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*(['"])use client\1/;
const SERVED_AS_IS = /(^|\/)(public|static|wwwroot|www)\//;
const BUILT_BUNDLE = /(^|\/)(dist|build|out)\/(.+\/)?[^/]+\.(m?js)$|(^|\/)\.next\/static\/|\.bundle\.js$|(^|\/)assets\/index-[\w-]+\.js$/;

export interface BrowserExposure {
  /** Completes "This key ships to the browser because …". */
  because: string;
  /** Public variable name, when that is the reason. */
  publicName?: string;
}

/**
 * @param filePath path with forward slashes
 * @param lineText the line holding the secret
 * @param projectIsBrowserOnly reason when the workspace knows this file belongs to a front-end-only app
 */
export function browserExposure(filePath: string, text: string, lineText: string, projectIsBrowserOnly?: string): BrowserExposure | undefined {
  const publicName = PUBLIC_ENV_PREFIX.exec(lineText);
  if (publicName) {
    const framework = FRAMEWORK_OF_PREFIX[publicName[1]];
    return { because: `its name ${publicName[0]} starts with ${publicName[1]}, so ${framework} copies the value into the JavaScript every visitor downloads`, publicName: publicName[0] };
  }
  if (USE_CLIENT.test(text.slice(0, 2000))) return { because: "this file starts with 'use client', so it is bundled into the JavaScript every visitor downloads" };
  const normalised = filePath.replace(/\\/g, '/');
  if (BUILT_BUNDLE.test(normalised)) return { because: 'this file is a built front-end bundle that browsers download' };
  if (SERVED_AS_IS.test(normalised)) return { because: 'files in this folder are served to browsers as they are' };
  if (projectIsBrowserOnly) return { because: projectIsBrowserOnly };
  return undefined;
}
