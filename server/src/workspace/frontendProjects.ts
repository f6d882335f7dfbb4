import * as path from 'node:path';

/** Build tools whose apps run entirely in the browser. */
const FRONTEND_TOOLS: Record<string, string> = {
  vite: 'Vite',
  'react-scripts': 'Create React App',
  parcel: 'Parcel',
  '@angular/core': 'Angular',
  'vue-cli-service': 'Vue CLI',
  '@vue/cli-service': 'Vue CLI',
};

/** Anything that runs code on a server too; then `src/` is not necessarily browser code. */
const SERVER_SIDE = ['express', 'fastify', 'koa', 'hono', 'next', '@nestjs/core', '@remix-run/node', '@remix-run/dev', '@sveltejs/kit', 'nuxt', 'astro', '@hapi/hapi', 'restify', 'electron', 'vite-plugin-ssr', 'vike'];

const SCRIPT_FILE = /\.(m?[jt]sx?|vue|svelte)$/;
const SERVER_FOLDER = /(^|\/)(server|api|backend|functions|netlify|supabase|scripts|lambda|workers?)\//;

/**
 * Says when a file belongs to a front-end-only app (a Vite or Create React App project with
 * no server framework): everything under its src/ is shipped to the browser.
 */
export class FrontendProjects {
  private readonly cache = new Map<string, string | undefined>();

  constructor(private readonly read: (file: string) => string | undefined) {}

  reasonFor(file: string, projectRoot: string): string | undefined {
    const relative = path.relative(projectRoot, file).split(path.sep).join('/');
    if (!SCRIPT_FILE.test(relative) || !relative.startsWith('src/') || SERVER_FOLDER.test(relative)) return undefined;
    if (!this.cache.has(projectRoot)) this.cache.set(projectRoot, this.frontendTool(projectRoot));
    const tool = this.cache.get(projectRoot);
    return tool ? `this file is part of a ${tool} front-end app, whose code runs in the visitor's browser` : undefined;
  }

  /** Forget cached answers (a package.json changed). */
  clear(): void {
    this.cache.clear();
  }

  private frontendTool(projectRoot: string): string | undefined {
    const text = this.read(path.join(projectRoot, 'package.json'));
    if (!text) return undefined;
    try {
      const manifest = JSON.parse(text) as Record<string, Record<string, string> | undefined>;
      const dependencies = { ...manifest.dependencies, ...manifest.devDependencies };
      if (SERVER_SIDE.some((name) => name in dependencies)) return undefined;
      const tool = Object.keys(FRONTEND_TOOLS).find((name) => name in dependencies);
      return tool ? FRONTEND_TOOLS[tool] : undefined;
    } catch {
      return undefined;
    }
  }
}
