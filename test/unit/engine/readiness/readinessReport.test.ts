import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseShipshapeConfig } from '../../../../server/src/engine/config/shipshapeConfig';
import { assessReadiness } from '../../../../server/src/engine/readiness/assessReadiness';
import { readinessMarkdown } from '../../../../server/src/report/readinessReport';
import { repoRoot } from '../../helpers';
import { fixtureInput, type FixtureSidecar } from './readinessHelpers';

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'readiness');
const sidecars = JSON.parse(fs.readFileSync(path.join(fixtures, 'inputs.json'), 'utf8')) as Record<string, FixtureSidecar>;

function markdownOf(name: string, configText = '{}'): string {
  return readinessMarkdown(assessReadiness(fixtureInput(path.join(fixtures, name), sidecars[name], parseShipshapeConfig(configText).config)));
}

/** The text between a heading and the next heading of the same or a higher level. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(heading);
  assert.ok(start >= 0, `no section ${heading}`);
  const level = /^#+/.exec(heading)![0].length;
  // Headings inside fenced code (a Dockerfile comment) are not headings.
  const rest = markdown.slice(start + heading.length).replace(/```[\s\S]*?```/g, (block) => block.replace(/#/g, '_'));
  const end = rest.search(new RegExp(`\\n#{1,${level}} `));
  return end < 0 ? rest : rest.slice(0, end);
}

describe('readiness report (Markdown)', () => {
  it('leads with the level and what the next level needs', () => {
    const markdown = markdownOf('half-ready');
    const lines = markdown.split('\n');
    assert.equal(lines[0], '# Production readiness: 🥉 Bronze');
    assert.match(markdown, /\*\*Next: 🥈 Silver\*\*, operations basics .*Fix 6 checks:/);
    assert.match(markdown, /- ❌ Fail: Dependencies are locked \(`readiness\/lockfile`\)/);
    assert.match(markdown, /Confirm by hand[^\n]*\n\n- ❔ Unknown: Login and sign-up routes are rate limited/);
    assert.ok(markdown.indexOf('**Next:') < markdown.indexOf('## Areas'));
  });

  it('has a table of areas with scores out of 10', () => {
    const markdown = markdownOf('half-ready');
    assert.match(markdown, /\| Area \| Score \| Passed \| Failed \| Unknown \| Exempt \|\n\| --- \| --- \| --- \| --- \| --- \| --- \|\n\| Security \| \d+\/10 \| \d+ \| \d+ \| \d+ \| \d+ \|/);
    for (const area of ['Security', 'Operations', 'Reliability', 'Data', 'Maintenance']) assert.match(markdown, new RegExp(`\\n\\| ${area} \\| (?:\\d+/10|–) \\|`));
  });

  it('lists failures first in each area, with status as text and emoji, evidence as path:line, fix and effort', () => {
    const markdown = markdownOf('bare-prototype');
    const security = section(markdown, '### Security');
    const firstPass = security.indexOf('✅ Pass');
    const lastFail = security.lastIndexOf('❌ Fail');
    assert.ok(lastFail >= 0 && firstPass > lastFail, 'a pass came before a failure');
    assert.match(security, /#### ❌ Fail: Row level security on every Supabase table\n\n`readiness\/supabase-rls` · Bronze · error · effort: hours · \[how to fix\]\(https:\/\/supabase\.com\/docs\/guides\/database\/postgres\/row-level-security\)/);
    assert.match(security, /- `supabase\/migrations\/20240101000000_init\.sql:1` Table todos is created without row level security/);
    assert.match(security, /\*\*Fix \(hours\):\*\* In a new migration, enable row level security/);
    assert.match(markdown, /# Production readiness: ⚪ No level yet/);
  });

  it('shows exemptions with their reason and expiry, and expired ones as failures', () => {
    const exempt = markdownOf('half-ready', '{ "exemptions": [{ "check": "readiness/dependency-update-bot", "reason": "We update by hand every Monday", "expires": "2026-12-31" }] }');
    assert.match(exempt, /#### 🛡️ Exempt: Dependency updates are automated[\s\S]*?> Exempt until 2026-12-31: “We update by hand every Monday”\./);
    const expired = markdownOf('half-ready', '{ "exemptions": [{ "check": "readiness/dependency-update-bot", "reason": "Until launch", "expires": "2026-01-31" }] }');
    assert.match(expired, /#### ❌ Fail: Dependency updates are automated[\s\S]*?> Exemption expired on 2026-01-31: “Until launch”\. The check fails again\./);
  });

  it('reports a monorepo per unit, with repository-wide checks once', () => {
    const markdown = markdownOf('monorepo');
    assert.match(markdown, /## Units\n\n\| Unit \| Kind \| Level \| Failing checks \|/);
    assert.match(markdown, /\| `apps\/api` @acme\/api \| server \| 🥉 Bronze \|/);
    assert.match(markdown, /\| `packages\/shared` @acme\/shared \| package \| 🥈 Silver \|/);
    assert.equal(markdown.split('#### ❌ Fail: A runbook for incidents').length - 1, 1);
    assert.match(markdown, /## `apps\/api`: @acme\/api \(server\) — 🥉 Bronze/);
    assert.match(markdown, /- ❌ Fail: The runtime still gets security fixes \(`readiness\/eol-runtime`, in `apps\/api`\)/);
  });

  it('says so when every level is reached', () => {
    const markdown = markdownOf('production-grade');
    assert.match(markdown, /^# Production readiness: 🥇 Gold\n/);
    assert.match(markdown, /\*\*All three levels reached\.\*\*/);
    assert.ok(!markdown.includes('❌ Fail'));
  });

  it('keeps table cells and inline HTML safe', () => {
    const markdown = markdownOf('bare-prototype');
    for (const line of markdown.split('\n').filter((candidate) => candidate.startsWith('| '))) {
      assert.ok(line.endsWith(' |'), line);
    }
    assert.ok(!/<script/i.test(markdown));
  });
});
