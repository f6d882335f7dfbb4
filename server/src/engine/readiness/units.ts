import { readPackageJson, readPipfile, readPyProject, readRequirements, REQUIREMENTS_FILE, type Dependency, type NodeManifest, type PyProject, type Requirement } from './manifests';
import type { Ecosystem, UnitKind } from './types';

/**
 * Units: each folder with its own manifest (package.json, pyproject.toml, requirements.txt,
 * Pipfile, setup.py) is assessed on its own, so a monorepo's web app, API and shared package
 * each get their own level. A monorepo root that only declares workspaces is not a unit: its
 * files (CI, infrastructure, runbook) are shared by every unit.
 */

export interface UnitInfo {
  /** Folder relative to the workspace, '.' for the root. */
  path: string;
  name: string;
  kind: UnitKind;
  ecosystems: Ecosystem[];
  manifests: string[];
  packageJson?: NodeManifest;
  pyproject?: PyProject;
  requirements: Requirement[];
  dependencies: Dependency[];
  /** Why the kind was chosen, for the report. */
  kindReason: string;
}

const MANIFEST = /(?:^|\/)(package\.json|pyproject\.toml|Pipfile|setup\.py)$/;
/** Test data and vendored code: neither units nor part of one (a fixture's Dockerfile is not the app's). */
export const NOT_APP_CODE = /(?:^|\/)(?:fixtures?|__fixtures__|testdata|test-fixtures|node_modules|\.venv|venv|site-packages|bower_components)(?:\/|$)/i;

/** Frameworks that make a unit a running server (or a full-stack app with server code). */
const NODE_SERVER = ['express', 'fastify', 'koa', 'hono', '@hono/node-server', '@nestjs/core', 'next', 'nuxt', '@remix-run/node', '@remix-run/serve', '@react-router/node', '@sveltejs/kit', '@sveltejs/adapter-node', '@hapi/hapi', 'restify', 'elysia', '@adonisjs/core', '@feathersjs/feathers', 'sails', '@loopback/core', 'polka', 'micro', 'h3', 'nitropack', '@trpc/server', 'socket.io', 'apollo-server', '@apollo/server', 'graphql-yoga', 'firebase-functions'];
const PYTHON_SERVER = ['flask', 'fastapi', 'django', 'starlette', 'sanic', 'aiohttp', 'tornado', 'falcon', 'bottle', 'quart', 'litestar', 'pyramid', 'gunicorn', 'uvicorn', 'hypercorn', 'daphne', 'djangorestframework', 'functions-framework'];
const FRONTEND_TOOLS = ['vite', 'react-scripts', 'parcel', '@angular/core', '@vue/cli-service', 'expo', 'react-native', 'gatsby', '@docusaurus/core', 'webpack-dev-server', '@11ty/eleventy', 'astro'];

export function detectUnits(files: readonly string[], read: (path: string) => string | undefined): { units: UnitInfo[]; workspaceRoot: boolean } {
  const folders = new Map<string, string[]>();
  const add = (folder: string, manifest: string) => {
    if (NOT_APP_CODE.test(manifest)) return;
    const list = folders.get(folder) ?? [];
    list.push(manifest);
    folders.set(folder, list);
  };
  for (const file of files) {
    if (MANIFEST.test(file)) add(folderOf(file), file);
    else if (REQUIREMENTS_FILE.test(file)) {
      const folder = folderOf(file);
      add(/(?:^|\/)requirements$/i.test(folder) ? parentOf(folder) : folder, file);
    }
  }
  // A set, not the list: every unit asks about files in its folder (a list made that units × files).
  const fileSet = new Set(files);
  const rootManifests = folders.get('.') ?? [];
  const rootPackage = rootManifests.includes('package.json') ? readPackageJson('package.json', read('package.json') ?? '') : undefined;
  const rootPyProject = rootManifests.includes('pyproject.toml') ? readPyProject('pyproject.toml', read('pyproject.toml') ?? '') : undefined;
  const declaresWorkspaces = rootPackage?.workspaces !== undefined || fileSet.has('pnpm-workspace.yaml') || fileSet.has('lerna.json') || rootPyProject?.uvWorkspace === true;
  const workspaceRoot = declaresWorkspaces && [...folders.keys()].some((folder) => folder !== '.');
  if (workspaceRoot && !isAppItself(rootPackage)) folders.delete('.');
  if (folders.size === 0) folders.set('.', []);
  const units = [...folders.entries()]
    .sort(([a], [b]) => (a === '.' ? -1 : b === '.' ? 1 : a.localeCompare(b)))
    .map(([folder, manifests]) => buildUnit(folder, manifests.sort(), fileSet, read));
  return { units, workspaceRoot: workspaceRoot && !units.some((unit) => unit.path === '.') };
}

/** A monorepo root that also runs an app (it has its own server dependencies) stays a unit. */
function isAppItself(manifest: NodeManifest | undefined): boolean {
  return manifest !== undefined && manifest.dependencies.some((dependency) => !dependency.dev && NODE_SERVER.includes(dependency.name));
}

function buildUnit(folder: string, manifests: string[], files: ReadonlySet<string>, read: (path: string) => string | undefined): UnitInfo {
  const packageFile = manifests.find((file) => file.endsWith('package.json'));
  const packageJson = packageFile ? readPackageJson(packageFile, read(packageFile) ?? '') : undefined;
  const pyprojectFile = manifests.find((file) => file.endsWith('pyproject.toml'));
  const pyproject = pyprojectFile ? readPyProject(pyprojectFile, read(pyprojectFile) ?? '') : undefined;
  const requirements = manifests.filter((file) => REQUIREMENTS_FILE.test(file)).flatMap((file) => readRequirements(file, read(file) ?? ''));
  const pipfile = manifests.find((file) => /(?:^|\/)Pipfile$/.test(file));
  const dependencies: Dependency[] = [
    ...(packageJson?.dependencies ?? []),
    ...(pyproject?.dependencies ?? []),
    ...requirements,
    ...(pipfile ? readPipfile(pipfile, read(pipfile) ?? '') : []),
  ];
  const ecosystems: Ecosystem[] = [];
  if (packageJson) ecosystems.push('node');
  if (pyprojectFile || pipfile || requirements.length || manifests.some((file) => REQUIREMENTS_FILE.test(file) || file.endsWith('setup.py'))) ecosystems.push('python');
  const prefix = folder === '.' ? '' : `${folder}/`;
  const hasFile = (names: readonly string[]) => names.some((name) => files.has(prefix + name));
  const { kind, reason } = unitKind(dependencies, packageJson, hasFile);
  const name = packageJson?.name ?? pyproject?.name ?? (folder === '.' ? 'workspace' : folder.split('/').pop()!);
  return { path: folder, name, kind, ecosystems, manifests, ...(packageJson ? { packageJson } : {}), ...(pyproject ? { pyproject } : {}), requirements, dependencies, kindReason: reason };
}

function unitKind(dependencies: readonly Dependency[], packageJson: NodeManifest | undefined, hasFile: (names: readonly string[]) => boolean): { kind: UnitKind; reason: string } {
  const names = new Set(dependencies.filter((dependency) => !dependency.dev || dependency.ecosystem === 'node').map((dependency) => dependency.name));
  const server = [...NODE_SERVER, ...PYTHON_SERVER].find((name) => names.has(name));
  if (server) return { kind: 'server', reason: `depends on ${server}` };
  if (hasFile(['manage.py'])) return { kind: 'server', reason: 'has a Django manage.py' };
  const start = packageJson?.scripts.start?.command;
  if (start && /\b(?:node|ts-node|tsx|nodemon|bun|deno|pm2)\b/.test(start) && !/\b(?:vite|react-scripts|expo)\b/.test(start)) return { kind: 'server', reason: `its start script runs ${start.split(/\s+/).slice(0, 2).join(' ')}` };
  const frontend = FRONTEND_TOOLS.find((name) => names.has(name));
  if (frontend) return { kind: 'frontend', reason: `built with ${frontend}` };
  if (hasFile(['Dockerfile', 'Procfile'])) return { kind: 'server', reason: 'has a Dockerfile or Procfile' };
  return { kind: 'package', reason: 'no server or front-end framework among its dependencies' };
}

export function folderOf(file: string): string {
  const index = file.lastIndexOf('/');
  return index < 0 ? '.' : file.slice(0, index);
}

function parentOf(folder: string): string {
  return folder === '.' ? '.' : folderOf(folder);
}
