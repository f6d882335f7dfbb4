import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { lookupVulnerabilities, type FetchLike, type PackageQuery } from '../../../../server/src/engine/readiness/osvLookup';
import { assessReadiness } from '../../../../server/src/engine/readiness/assessReadiness';
import { collectLockedPackages } from '../../../../server/src/engine/readiness/lockfiles';
import { READINESS_CHECKS } from '../../../../server/src/engine/readiness/catalog';
import { defaultConfig } from '../../../../server/src/engine/config/shipshapeConfig';

/** A local stand-in for https://api.osv.dev that speaks the same querybatch API. */
class FakeOsv {
  requests: { queries: { package: { name: string; ecosystem: string }; version: string }[] }[] = [];
  private server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      if (request.method !== 'POST' || request.url !== '/v1/querybatch') {
        response.writeHead(404).end();
        return;
      }
      const parsed = JSON.parse(body);
      this.requests.push(parsed);
      const results = parsed.queries.map((query: { package: { name: string; ecosystem: string }; version: string }) =>
        query.package.name === 'lodash' && query.version === '4.17.20'
          ? { vulns: [{ id: 'GHSA-35jh-r3h4-6jhm', modified: '2024-01-01T00:00:00Z' }, { id: 'GHSA-29mw-wpgm-hmr9', modified: '2024-01-01T00:00:00Z' }] }
          : query.package.ecosystem === 'PyPI' && query.package.name === 'jinja2' && query.version === '2.10'
            ? { vulns: [{ id: 'PYSEC-2019-217', modified: '2023-01-01T00:00:00Z' }] }
            : {});
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ results }));
    });
  });
  baseUrl = '';

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** A port nothing listens on: connections are refused. */
async function closedPort(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

const PACKAGES: PackageQuery[] = [
  { ecosystem: 'node', name: 'lodash', version: '4.17.20', lockfile: 'package-lock.json' },
  { ecosystem: 'node', name: 'express', version: '4.19.2', lockfile: 'package-lock.json' },
  { ecosystem: 'python', name: 'jinja2', version: '2.10', lockfile: 'poetry.lock' },
];
const NOW = new Date('2026-06-01T12:00:00Z');

describe('known vulnerabilities (opt-in OSV look-up)', function () {
  this.timeout(15000);
  const osv = new FakeOsv();
  let cacheDirectory: string;

  before(() => osv.start());
  after(() => osv.stop());
  beforeEach(() => {
    cacheDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-osv-'));
    osv.requests = [];
  });
  afterEach(() => fs.rmSync(cacheDirectory, { recursive: true, force: true }));

  it('asks OSV for the locked versions and reports the vulnerable ones', async () => {
    const result = await lookupVulnerabilities(PACKAGES, { enabled: true, baseUrl: osv.baseUrl, cacheDirectory, now: NOW });
    assert.equal(osv.requests.length, 1);
    assert.deepEqual(osv.requests[0].queries, [
      { package: { name: 'lodash', ecosystem: 'npm' }, version: '4.17.20' },
      { package: { name: 'express', ecosystem: 'npm' }, version: '4.19.2' },
      { package: { name: 'jinja2', ecosystem: 'PyPI' }, version: '2.10' },
    ]);
    assert.equal(result.complete, true);
    assert.deepEqual(result.vulnerable.map((entry) => `${entry.name}@${entry.version}: ${entry.vulns.map((vuln) => vuln.id).join(',')}`), [
      'lodash@4.17.20: GHSA-35jh-r3h4-6jhm,GHSA-29mw-wpgm-hmr9',
      'jinja2@2.10: PYSEC-2019-217',
    ]);
  });

  it('writes the answers to the cache with their date and reuses them', async () => {
    await lookupVulnerabilities(PACKAGES, { enabled: true, baseUrl: osv.baseUrl, cacheDirectory, now: NOW });
    const cache = JSON.parse(fs.readFileSync(path.join(cacheDirectory, 'osv-cache.json'), 'utf8'));
    assert.equal(cache.entries['npm:lodash@4.17.20'].checkedAt, NOW.toISOString());
    assert.deepEqual(cache.entries['npm:express@4.19.2'].vulns, []);
    const again = await lookupVulnerabilities(PACKAGES, { enabled: true, baseUrl: osv.baseUrl, cacheDirectory, now: new Date(NOW.getTime() + 60 * 60 * 1000) });
    assert.equal(osv.requests.length, 1, 'the second look-up should come from the cache');
    assert.equal(again.fromCache, 3);
    assert.equal(again.vulnerable.length, 2);
    // A day later the answers are stale and asked again.
    await lookupVulnerabilities(PACKAGES, { enabled: true, baseUrl: osv.baseUrl, cacheDirectory, now: new Date(NOW.getTime() + 25 * 60 * 60 * 1000) });
    assert.equal(osv.requests.length, 2);
  });

  it('is "unknown", never a failure, when the network refuses', async () => {
    const result = await lookupVulnerabilities(PACKAGES, { enabled: true, baseUrl: await closedPort(), cacheDirectory, now: NOW, timeoutMs: 2000 });
    assert.equal(result.complete, false);
    assert.match(result.error ?? '', /refused/);
    const report = assessReadiness(workspaceWithLodash(result), READINESS_CHECKS.filter((spec) => spec.id === 'readiness/known-vulnerabilities'));
    const check = report.units[0].checks[0];
    assert.equal(check.status, 'unknown');
    assert.match(check.reason ?? '', /could not finish/);
  });

  it('is "unknown" when the service does not answer in time', async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const result = await lookupVulnerabilities(PACKAGES, { enabled: true, baseUrl: `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`, cacheDirectory, now: NOW, timeoutMs: 300 });
      assert.equal(result.complete, false);
      assert.match(result.error ?? '', /in time/);
    } finally {
      silent.close();
    }
  });

  it('sends nothing when look-ups are off (the default)', async () => {
    let calls = 0;
    const spy: FetchLike = async () => {
      calls++;
      throw new Error('must not be called');
    };
    const result = await lookupVulnerabilities(PACKAGES, { baseUrl: osv.baseUrl, cacheDirectory, now: NOW, fetch: spy });
    assert.equal(calls, 0);
    assert.equal(osv.requests.length, 0);
    assert.equal(result.enabled, false);
    assert.deepEqual(fs.readdirSync(cacheDirectory), []);
  });

  it('fails the readiness check with the advisory ids as evidence', async () => {
    const result = await lookupVulnerabilities(PACKAGES, { enabled: true, baseUrl: osv.baseUrl, cacheDirectory, now: NOW });
    const report = assessReadiness(workspaceWithLodash(result), READINESS_CHECKS.filter((spec) => spec.id === 'readiness/known-vulnerabilities'));
    const check = report.units[0].checks[0];
    assert.equal(check.status, 'fail');
    assert.equal(check.evidence.length, 1, 'jinja2 belongs to another lockfile');
    assert.equal(check.evidence[0].file, 'package-lock.json');
    assert.equal(check.evidence[0].range.start.line, 5);
    assert.match(check.evidence[0].description, /lodash 4\.17\.20: GHSA-35jh-r3h4-6jhm, GHSA-29mw-wpgm-hmr9/);
  });

  it('collects every locked package from npm, pnpm, yarn, poetry and uv lockfiles', () => {
    const files: Record<string, string> = {
      'package-lock.json': LOCK,
      'web/pnpm-lock.yaml': "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      zod:\n        specifier: ^3.23.8\n        version: 3.23.8\npackages:\n  zod@3.23.8:\n    resolution: {integrity: sha512-x}\n  '@babel/core@7.24.0':\n    resolution: {integrity: sha512-x}\n",
      'legacy/yarn.lock': '"@types/node@^20.0.0":\n  version "20.14.2"\n\nleft-pad@^1.3.0, left-pad@^1.1.0:\n  version "1.3.0"\n',
      'api/poetry.lock': '[[package]]\nname = "Jinja2"\nversion = "2.10"\n\n[[package]]\nname = "flask"\nversion = "3.0.3"\n',
      'svc/uv.lock': 'version = 1\n\n[[package]]\nname = "fastapi"\nversion = "0.111.0"\nsource = { registry = "https://pypi.org/simple" }\n',
    };
    const collected = collectLockedPackages(Object.keys(files), (file) => files[file]);
    const flat = collected.flatMap((entry) => entry.packages.map((item) => `${entry.lockfile} ${item.ecosystem}:${item.name}@${item.version}`)).sort();
    assert.deepEqual(flat, [
      'api/poetry.lock python:flask@3.0.3',
      'api/poetry.lock python:jinja2@2.10',
      'legacy/yarn.lock node:@types/node@20.14.2',
      'legacy/yarn.lock node:left-pad@1.3.0',
      'package-lock.json node:express@4.19.2',
      'package-lock.json node:lodash@4.17.20',
      'svc/uv.lock python:fastapi@0.111.0',
      'web/pnpm-lock.yaml node:@babel/core@7.24.0',
      'web/pnpm-lock.yaml node:zod@3.23.8',
    ]);
  });
});

const LOCK = JSON.stringify({ lockfileVersion: 3, packages: { '': { dependencies: { lodash: '^4.17.20', express: '^4.19.2' } }, 'node_modules/lodash': { version: '4.17.20' }, 'node_modules/express': { version: '4.19.2' } } }, null, 2);

function workspaceWithLodash(vulnerabilities: Awaited<ReturnType<typeof lookupVulnerabilities>>) {
  const files: Record<string, string> = { 'package.json': JSON.stringify({ name: 'app', dependencies: { lodash: '^4.17.20', express: '^4.19.2' } }), 'package-lock.json': LOCK };
  return { root: '/app', files: Object.keys(files), read: (file: string) => files[file], findings: [], config: defaultConfig(), now: NOW, vulnerabilities };
}
