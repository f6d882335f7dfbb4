// Turns the collected measurements into the printed report, the target verdicts and the final
// JSON line. Pure formatting: nothing here measures anything.
import { fmt, fmtMs, fmtRatio, MB, ratio, round } from './stats.mjs';
import { heading, table } from './table.mjs';

const mb = (bytes) => bytes / MB;
const get = (object, ...keys) => keys.reduce((value, key) => (value == null ? undefined : value[key]), object);
const failed = (section) => section && section.error;

function header(r) {
  const lines = [heading('Shipshape benchmark')];
  lines.push(`machine: ${r.machine.cpus} cores (${r.machine.cpuModel}), ${fmt(r.machine.memoryGb, 0)} GB, ${r.machine.platform}; load average at start ${r.machine.loadBefore}, at end ${r.machine.loadAfter}`);
  lines.push(`peak RSS measured with ${r.machine.peakRssMethod}; CPU = user + system time of the process`);
  if (r.machine.build) lines.push(`Shipshape build: ${r.machine.build}`);
  lines.push(table([['tool', 'version'], ...Object.entries(r.versions).map(([name, version]) => [name, version ?? 'not installed'])]));
  if (r.machine.loadBefore.split(' ')[0] > r.machine.cpus) {
    lines.push(`note: the machine was busy with other work (load ${r.machine.loadBefore} on ${r.machine.cpus} cores): wall times are inflated for every tool alike; CPU times are steadier.`);
  }
  return lines.join('\n');
}

function corpus(m) {
  const seeds = (kind) => m.seeds.filter((seed) => seed.kind === kind).length;
  const rows = [
    ['part', 'files', 'MB', 'lines'],
    ['ordinary package sources (node_modules JS)', m.groups.ordinary.files, fmt(mb(m.groups.ordinary.bytes), 1), m.groups.ordinary.lines.toLocaleString('en-US')],
    ...m.special.map((file) => [`  ${file.relative}`, 1, fmt(mb(file.bytes), 2), file.lines.toLocaleString('en-US')]),
    ['generated (the three files above)', m.groups.generated.files, fmt(mb(m.groups.generated.bytes), 1), m.groups.generated.lines.toLocaleString('en-US')],
    ['seeded app (Express + Postgres, .env, keys)', m.groups.app.files, fmt(mb(m.groups.app.bytes), 2), m.groups.app.lines.toLocaleString('en-US')],
    ['corpus total', m.corpus.files, fmt(mb(m.corpus.bytes), 1), m.corpus.lines.toLocaleString('en-US')],
    ['ESLint subset (app + 3 MB of package files)', m.eslintSubset.files, fmt(mb(m.eslintSubset.bytes), 1), m.eslintSubset.lines.toLocaleString('en-US')],
  ];
  return [
    heading('Corpus'),
    `Corpus: ${m.corpus.files.toLocaleString('en-US')} files, ${fmt(mb(m.corpus.bytes), 1)} MB, ${m.corpus.lines.toLocaleString('en-US')} lines (built in ${fmtMs(m.builtMs)} under test/out/bench/corpus)`,
    table(rows),
    `seeded problems: ${seeds('secret')} secrets, ${seeds('route')} unauthenticated state-changing routes, ${seeds('input')} request inputs reaching a sink unchecked; route file ${m.routeFile.relative} (${m.routeFile.lines.toLocaleString('en-US')} lines)`,
  ].join('\n');
}

/** "3.2× faster" or "0.15× (6.7× slower)". */
function speedup(value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'n/a';
  return value >= 1 ? `${fmtRatio(value)} faster` : `${fmtRatio(value)} (${fmtRatio(1 / value)} slower)`;
}

function processTable(title, section, shipshapeName, note, comparisons = []) {
  if (!section || failed(section)) return `${heading(title)}\nnot measured: ${section?.error ?? 'not run'}`;
  const inputMb = mb(section.input.bytes);
  const base = section.results[shipshapeName];
  const rows = [['tool', 'runs', 'median wall', 'median CPU', 'MB/s (wall)', 'peak RSS', 'peer ÷ Shipshape (wall)', '(CPU)', 'all wall times']];
  for (const [name, result] of Object.entries(section.results)) {
    if (!result.ok) {
      rows.push([name, 0, 'FAILED', '', '', '', '', '', (result.error ?? '').split('\n')[0].slice(0, 60)]);
      continue;
    }
    const isPeer = !name.startsWith('Shipshape');
    rows.push([
      name,
      result.runs.length,
      fmtMs(result.medianWallMs),
      fmtMs(result.medianCpuMs),
      fmt(inputMb / (result.medianWallMs / 1000), 1),
      `${fmt(result.peakMb, 0)} MB`,
      isPeer ? fmtRatio(ratio(result.medianWallMs, base?.medianWallMs)) : '',
      isPeer ? fmtRatio(ratio(result.medianCpuMs, base?.medianCpuMs)) : '',
      result.runs.map((run) => (run.wallMs / 1000).toFixed(1)).join(' '),
    ]);
  }
  const lines = [heading(title), `input: ${section.input.files.toLocaleString('en-US')} files, ${fmt(inputMb, 1)} MB; runs alternate between the tools (A B C A B C …)${note ? `; ${note}` : ''}`, table(rows)];
  for (const [ours, peer] of comparisons) {
    const a = section.results[ours];
    const b = section.results[peer];
    if (!a?.ok || !b?.ok) continue;
    lines.push(`${ours} vs ${peer}: ${speedup(ratio(b.medianWallMs, a.medianWallMs))} by median wall time, ${speedup(ratio(b.medianCpuMs, a.medianCpuMs))} by CPU time`);
  }
  return lines.join('\n');
}

function detectionTable(r) {
  const rows = [['tool', 'input', 'findings', 'seeded secrets', 'seeded routes', 'seeded input', 'findings in package files']];
  const add = (section, name, input) => {
    const detection = get(section, 'results', name, 'detection');
    if (!detection) return;
    const cell = (kind) => `${detection.found[kind]}/${detection.total[kind]}`;
    rows.push([name, input, detection.findings, cell('secret'), cell('route'), cell('input'), detection.outsideApp]);
  };
  add(r.secretlint, 'Shipshape (full scan)', 'corpus');
  add(r.secretlint, 'Shipshape --rules secret', 'corpus');
  add(r.secretlint, 'secretlint', 'corpus');
  add(r.eslint, 'ESLint set', 'corpus');
  add(r.eslintSubset, 'Shipshape (full scan)', 'ESLint subset');
  add(r.eslintSubset, 'ESLint set', 'ESLint subset');
  const lines = [heading('What each tool found'), table(rows)];
  lines.push('A seed counts as found when the tool reports something on its line (a secret: also up to 5 lines above, where a JSON object or key block starts), one finding per seed. "Findings in package files": the corpus plants nothing there, so these are mostly false alarms (a few are real test keys).');
  const missed = get(r.secretlint, 'results', 'Shipshape (full scan)', 'detection', 'missed');
  if (missed?.length) lines.push(`Shipshape missed: ${missed.slice(0, 10).map((seed) => `${seed.file}:${seed.line} (${seed.what})`).join('; ')}${missed.length > 10 ? ` … ${missed.length - 10} more` : ''}`);
  return lines.join('\n');
}

function inProcess(r) {
  const e = r.engine;
  const s = r.engineSubset;
  const p = r.peersInProcess;
  const lines = [heading('In-process API calls (same text in memory, no process start-up or file reading)')];
  if (failed(e)) lines.push(`Shipshape engine: not measured: ${e.error}`);
  if (failed(p)) lines.push(`peers: not measured: ${p.error}`);
  const sl = failed(p) ? undefined : p.secretlint;
  const es = failed(p) ? undefined : p.eslint;
  const speed = (ms, bytes) => (typeof ms === 'number' && bytes ? `${fmtMs(ms)} (${fmt(mb(bytes) / (ms / 1000), 1)} MB/s)` : 'n/a');
  const cpu = (value) => (typeof value === 'number' ? `; CPU ${fmtMs(value)}` : '');
  const timing = (t) => `${fmtMs(t.medianMs)} (p95 ${fmtMs(t.p95Ms)}${cpu(t.cpuMedianMs)})`;
  const err = (peer) => (peer?.error ? `failed: ${peer.error.slice(0, 50)}` : undefined);
  const rows = [['task', 'Shipshape', 'secretlint', 'ESLint set', 'peer ÷ Shipshape']];
  if (!failed(e)) {
    rows.push([
      `secret detection alone, corpus (median of ${e.secrets.passes})`,
      `${speed(e.secrets.medianMs, e.secrets.bytes)}${typeof e.secrets.cpuMbPerSecond === 'number' ? `; CPU ${fmt(e.secrets.cpuMbPerSecond, 1)} MB/s` : ''}`,
      err(sl) ?? speed(sl?.corpus?.ms, sl?.corpus?.bytes),
      '—',
      sl?.corpus ? fmtRatio(ratio(sl.corpus.ms, e.secrets.medianMs)) : 'n/a',
    ]);
    rows.push(['full analysis, corpus, one pass', `${speed(e.perFile.totalMs, e.perFile.bytes)}${cpu(e.perFile.totalCpuMs)}`, '—', '—', '']);
  }
  if (!failed(s)) {
    rows.push(['full analysis, ESLint subset, one pass', speed(s.perFile.totalMs, s.perFile.bytes), '—', err(es) ?? speed(es?.subset?.ms, es?.subset?.bytes), es?.subset ? fmtRatio(ratio(es.subset.ms, s.perFile.totalMs)) : 'n/a']);
  }
  if (!failed(e)) {
    rows.push([
      `5,000-line route file, median (p95)`,
      timing(e.route),
      sl?.route ? `${fmtMs(sl.route.medianMs)} (${fmtMs(sl.route.p95Ms)})` : err(sl) ?? 'n/a',
      es?.route ? `${fmtMs(es.route.medianMs)} (${fmtMs(es.route.p95Ms)})` : err(es) ?? 'n/a',
      es?.route ? `ESLint ${fmtRatio(ratio(es.route.medianMs, e.route.medianMs))}` : '',
    ]);
    rows.push(['re-analysis after a one-line edit (ParseCache, as the server), median (p95)', timing(e.edit), '—', '—', '']);
    if (e.editWithoutCache) rows.push(['  same edits without the ParseCache, median (p95)', timing(e.editWithoutCache), '—', '—', '']);
    for (const [name, label] of [['express', 'Express'], ['flask', 'Flask']]) {
      const d = e.inputDetector?.[name];
      if (d) rows.push([`input analysis alone, generated 5,000-line ${label} file (parse ${fmtMs(d.parseMedianMs)} excluded), median (p95)`, `${fmtMs(d.medianMs)} (${fmtMs(d.p95Ms)}); ${d.findings} findings`, '—', '—', '']);
    }
    lines.push(table(rows));
    lines.push('secretlint runs secrets only: its row is the secrets comparison; the route file row compares each tool doing its own job on the same file.');
    lines.push('Times are wall-clock (the headline figures); "CPU" is the process CPU time for the same work, which other load on the machine inflates far less.');
    lines.push(`Shipshape per-file engine time over the corpus: median ${fmtMs(e.perFile.medianMs)}, p95 ${fmtMs(e.perFile.p95Ms)}, max ${fmtMs(e.perFile.maxMs)}; findings ${Object.entries(e.perFile.findingsByCategory).map(([category, count]) => `${category} ${count}`).join(', ')}`);
    lines.push(`slowest files: ${e.perFile.slowest.slice(0, 5).map((file) => `${file.relative} ${fmtMs(file.ms)} (${fmt(file.bytes / 1024, 0)} KB)`).join('; ')}`);
    if (e.perFile.failures.length) lines.push(`detector failures: ${e.perFile.failures.join('; ')}`);
  } else {
    lines.push(table(rows));
  }
  return lines.join('\n');
}

function editor(r) {
  const lines = [heading('Editor: through the real language server (the built server.js --stdio)')];
  const l = r.latency;
  if (failed(l)) lines.push(`latency: not measured: ${l.error}`);
  else {
    lines.push(`didChange → publishDiagnostics, ${l.lines.toLocaleString('en-US')}-line route file, ${l.edits} one-line edits, debounce ${l.debounceMs} ms (default):`);
    lines.push(`  median ${fmtMs(l.medianMs)}, p95 ${fmtMs(l.p95Ms)}, max ${fmtMs(l.maxMs)}; beyond the debounce: median ${fmtMs(l.overDebounceMedianMs)}, p95 ${fmtMs(l.overDebounceP95Ms)}; first diagnostics after didOpen ${fmtMs(l.openMs)}; ${l.diagnostics} diagnostics`);
  }
  const m = r.memory;
  if (failed(m)) lines.push(`server memory: not measured: ${m.error}`);
  else {
    lines.push(`server memory, ${m.documents} open documents (${m.routeModules} route modules + ${m.documents - m.routeModules} package sources, ${fmt(mb(m.bytes), 1)} MB, also on disk in the workspace):`);
    lines.push(`  after the workspace index (${fmtMs(m.indexMs)}): ${fmt(m.afterIndexRssMb, 0)} MB RSS; with all documents open: ${fmt(m.openRssMb, 0)} MB RSS, peak ${fmt(m.peakMb, 0)} MB (VmHWM)`);
    lines.push(m.openAllMs != null
      ? `  all ${m.documents} documents had diagnostics ${fmtMs(m.openAllMs)} after the didOpens were sent (server CPU ${fmtMs(m.serverCpuMs)} in total)`
      : `  only ${m.analysed} of ${m.documents} documents had diagnostics within the ${fmtMs(m.budgetMs)} budget: the memory figures are a lower bound`);
  }
  return lines.join('\n');
}

function scaling(r) {
  const lines = [heading('Scaling: Shipshape full CLI scan at 1×, 4× and 16× the corpus (hard-linked copies)')];
  if (failed(r.scaling)) return `${lines[0]}\nnot measured: ${r.scaling.error}`;
  const rows = [['scale', 'files', 'MB', 'wall', 'wall ms/MB', 'CPU ms/MB', 'peak RSS']];
  for (const row of r.scaling) {
    if (row.skipped) rows.push([`${row.factor}×`, row.files.toLocaleString('en-US'), fmt(row.mb, 0), 'skipped', '', '', '']);
    else rows.push([`${row.factor}×`, row.files.toLocaleString('en-US'), fmt(row.mb, 0), fmtMs(row.wallMs), fmt(row.wallMsPerMb, 1), fmt(row.cpuMsPerMb, 1), `${fmt(row.peakMb, 0)} MB`]);
  }
  lines.push(table(rows));
  for (const row of r.scaling.filter((entry) => entry.skipped)) lines.push(`${row.factor}× skipped: ${row.skipped}`);
  const measured = r.scaling.filter((row) => !row.skipped);
  if (measured.length > 1) {
    const first = measured[0];
    const last = measured[measured.length - 1];
    lines.push(`time per MB at ${last.factor}× is ${fmt(last.wallMsPerMb / first.wallMsPerMb, 2)}× that at 1× (wall), ${fmt(last.cpuMsPerMb / first.cpuMsPerMb, 2)}× (CPU): ${last.cpuMsPerMb / first.cpuMsPerMb <= 1.25 ? 'linear' : 'grows faster than the input'}`);
  }
  return lines.join('\n');
}

function profile(p) {
  if (failed(p)) return `${heading('CPU profile of the CLI')}\nnot measured: ${p.error}`;
  const rows = [['function (self time)', 'ms', 'share'], ...p.self.map((row) => [row.name, fmt(row.ms, 0), `${fmt(row.share * 100, 1)} %`])];
  const inclusive = [['function (total time)', 'ms', 'share'], ...p.inclusive.map((row) => [row.name, fmt(row.ms, 0), `${fmt(row.share * 100, 1)} %`])];
  return [heading('CPU profile of the CLI (--jobs 1, unminified bundle)'), `${fmtMs(p.totalMs)} sampled; profile: ${p.file}`, table(rows), table(inclusive)].join('\n');
}

/** The headline figures (ratios: how many times faster Shipshape is). */
export function headline(r) {
  const sl = get(r.secretlint, 'results');
  const es = get(r.eslint, 'results');
  return {
    vs_secretlint: round(ratio(get(sl, 'secretlint', 'medianWallMs'), get(sl, 'Shipshape (full scan)', 'medianWallMs')), 2),
    vs_secretlint_secrets_only: round(ratio(get(sl, 'secretlint', 'medianWallMs'), get(sl, 'Shipshape --rules secret', 'medianWallMs')), 2),
    vs_eslint: round(ratio(get(es, 'ESLint set', 'medianWallMs'), get(es, 'Shipshape (full scan)', 'medianWallMs')), 2),
    secrets_mb_s: round(get(r.engine, 'secrets', 'mbPerSecond'), 1),
    route_file_ms: round(get(r.engine, 'route', 'medianMs'), 2),
    edit_ms: round(get(r.engine, 'edit', 'medianMs'), 2),
    cli_peak_mb: round(get(sl, 'Shipshape (full scan)', 'peakMb'), 0),
    server_peak_mb: round(get(r.memory, 'peakMb'), 0),
  };
}

function seededFound(section, name) {
  const found = get(section, 'results', name, 'detection', 'found');
  return found ? found.secret + found.route + found.input : undefined;
}

function targets(r, h) {
  const verdict = (value, ok) => (value == null ? 'NOT MEASURED' : ok ? 'met' : 'MISSED');
  const finds = (section, peer) => {
    const ours = seededFound(section, 'Shipshape (full scan)');
    const theirs = seededFound(section, peer);
    return ours == null || theirs == null ? '' : `; seeded problems found ${ours} vs ${theirs}`;
  };
  const moreThan = (section, peer) => (seededFound(section, 'Shipshape (full scan)') ?? 0) > (seededFound(section, peer) ?? Infinity);
  const l = r.latency;
  const overDebounce = failed(l) ? null : l?.overDebounceMedianMs;
  const rows = [
    ['target', 'measured', 'verdict'],
    ['full scan ≥ 5× faster than secretlint (whole process), finding more', `${fmtRatio(h.vs_secretlint)}${finds(r.secretlint, 'secretlint')}`, verdict(h.vs_secretlint, h.vs_secretlint >= 5 && moreThan(r.secretlint, 'secretlint'))],
    ['full scan ≥ 50× faster than the ESLint set, finding more', `${fmtRatio(h.vs_eslint)}${finds(r.eslint, 'ESLint set')}`, verdict(h.vs_eslint, h.vs_eslint >= 50 && moreThan(r.eslint, 'ESLint set'))],
    ['secrets alone (--rules secret) ≥ 10× faster than secretlint', fmtRatio(h.vs_secretlint_secrets_only), verdict(h.vs_secretlint_secrets_only, h.vs_secretlint_secrets_only >= 10)],
    ['secret detection in-process ≥ 150 MB/s', `${fmt(h.secrets_mb_s, 1)} MB/s`, verdict(h.secrets_mb_s, h.secrets_mb_s >= 150)],
    ['5,000-line route file < 20 ms median in-process', fmtMs(h.route_file_ms), verdict(h.route_file_ms, h.route_file_ms < 20)],
    ['re-analysis after a one-line edit < 10 ms', fmtMs(h.edit_ms), verdict(h.edit_ms, h.edit_ms < 10)],
    ['editor diagnostics within debounce + 50 ms (median)', overDebounce == null ? 'n/a' : `debounce + ${fmtMs(overDebounce)}`, verdict(overDebounce, overDebounce <= 50)],
    ['CLI peak memory < 250 MB on the corpus', `${fmt(h.cli_peak_mb, 0)} MB`, verdict(h.cli_peak_mb, h.cli_peak_mb < 250)],
    ['language server < 200 MB with 1,000 open documents', `${fmt(h.server_peak_mb, 0)} MB peak`, verdict(h.server_peak_mb, h.server_peak_mb < 200)],
  ];
  return [heading('Targets'), table(rows)].join('\n');
}

export function printReport(r, write) {
  write(header(r));
  if (r.manifest) write(corpus(r.manifest));
  else write(`${heading('Corpus')}\nnot built: ${r.corpusError}`);
  write(processTable('Whole process: Shipshape vs secretlint (whole corpus)', r.secretlint, 'Shipshape (full scan)', '', [['Shipshape (full scan)', 'secretlint'], ['Shipshape --rules secret', 'secretlint']]));
  write(processTable('Whole process: Shipshape vs the ESLint set (whole corpus)', r.eslint, 'Shipshape (full scan)', 'ESLint lints the JavaScript files; both tools get the same folder', [['Shipshape (full scan)', 'ESLint set']]));
  write(processTable('Whole process: Shipshape vs the ESLint set (fixed subset, where start-up weighs most)', r.eslintSubset, 'Shipshape (full scan)', 'the same tools on a 3.9 MB folder', [['Shipshape (full scan)', 'ESLint set']]));
  write(detectionTable(r));
  write(inProcess(r));
  write(editor(r));
  write(scaling(r));
  if (r.profile) write(profile(r.profile));
  const h = headline(r);
  write(targets(r, h));
  write(`\nbenchmark took ${fmtMs(r.elapsedMs)}`);
  write(JSON.stringify(h));
}
