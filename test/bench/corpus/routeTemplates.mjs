// Express route handlers as people write them: most are fine, some carry a seeded problem
// (an unauthenticated state-changing route, or request input reaching a sink unchecked).

const cap = (word) => word[0].toUpperCase() + word.slice(1);

/** Each template writes one route into `w` for resource `r` (plural) and returns nothing. */
export const TEMPLATES = {
  list(w, r, k) {
    w.add(`router.get('/${r}', requireAuth, async (req, res, next) => {
  try {
    const limit = Math.min(Number(req.query.limit) || 50, 200);
    const offset = Number(req.query.offset) || 0;
    const { rows } = await pool.query(
      'SELECT id, name, status, created_at FROM ${r} WHERE owner_id = $1 ORDER BY created_at DESC LIMIT $2 OFFSET $3',
      [req.user.id, limit, offset],
    );
    logger.info({ count: rows.length, route: 'list-${r}-${k}' }, 'listed ${r}');
    res.json({ items: rows, limit, offset });
  } catch (error) {
    next(error);
  }
});
`);
  },
  create(w, r, k) {
    w.add(`const create${cap(r)}Schema${k} = z.object({
  name: z.string().min(1).max(200),
  status: z.enum(['draft', 'active', 'archived']).default('draft'),
  notes: z.string().max(2000).optional(),
});

router.post('/${r}', requireAuth, async (req, res, next) => {
  try {
    const body = create${cap(r)}Schema${k}.parse(req.body);
    const { rows } = await pool.query(
      'INSERT INTO ${r} (owner_id, name, status, notes) VALUES ($1, $2, $3, $4) RETURNING id',
      [req.user.id, body.name, body.status, body.notes ?? null],
    );
    res.status(201).json({ id: rows[0].id });
  } catch (error) {
    next(error);
  }
});
`);
  },
  get(w, r) {
    w.add(`router.get('/${r}/:id', requireAuth, async (req, res) => {
  const { rows } = await pool.query('SELECT * FROM ${r} WHERE id = $1 AND owner_id = $2', [req.params.id, req.user.id]);
  if (rows.length === 0) return res.status(404).json({ error: 'not found' });
  res.json(rows[0]);
});
`);
  },
  unauthDelete(w, r) {
    w.addMarked(`router.delete('/${r}/:id', async (req, res) => { // @seed
  await pool.query('DELETE FROM ${r} WHERE id = $1', [req.params.id]);
  res.status(204).end();
});
`, { kind: 'route', what: `DELETE /${r}/:id without auth` });
  },
  unauthUpdate(w, r) {
    w.addMarked(`router.put('/${r}/:id/status', async (req, res) => { // @seed
  const status = String(req.body.status || 'active');
  await pool.query('UPDATE ${r} SET status = $1 WHERE id = $2', [status, req.params.id]);
  res.json({ ok: true });
});
`, { kind: 'route', what: `PUT /${r}/:id/status without auth` });
  },
  sqlInjection(w, r) {
    w.addMarked(`router.get('/${r}/search', requireAuth, async (req, res) => {
  const term = req.query.q;
  const { rows } = await pool.query(\`SELECT * FROM ${r} WHERE name ILIKE '%\${term}%' ORDER BY name\`); // @seed
  res.json(rows);
});
`, { kind: 'input', what: 'sql-injection' });
  },
  commandInjection(w, r) {
    w.addMarked(`router.post('/${r}/:id/thumbnail', requireAuth, (req, res) => {
  const source = req.body.path;
  exec(\`convert \${source} -resize 256x256 /tmp/${r}-thumb.png\`, (error) => { // @seed
    res.status(error ? 500 : 200).end();
  });
});
`, { kind: 'input', what: 'command-injection' });
  },
  pathTraversal(w, r) {
    w.addMarked(`router.get('/${r}/files/:name', requireAuth, (req, res) => {
  res.sendFile(path.join(UPLOAD_DIR, '${r}', req.params.name)); // @seed
});
`, { kind: 'input', what: 'path-traversal' });
  },
  openRedirect(w, r) {
    w.addMarked(`router.get('/${r}/continue', requireAuth, (req, res) => {
  const next = req.query.next;
  res.redirect(next); // @seed
});
`, { kind: 'input', what: 'open-redirect' });
  },
  ssrf(w, r) {
    w.addMarked(`router.post('/${r}/import', requireAuth, async (req, res) => {
  const response = await fetch(req.body.url); // @seed
  const data = await response.json();
  res.json({ imported: Array.isArray(data) ? data.length : 0 });
});
`, { kind: 'input', what: 'ssrf' });
  },
  htmlInjection(w, r) {
    w.addMarked(`router.get('/${r}/preview', requireAuth, (req, res) => {
  res.send(\`<h1>Preview of \${req.query.title}</h1>\`); // @seed
});
`, { kind: 'input', what: 'html-injection' });
  },
  codeInjection(w, r) {
    w.addMarked(`router.post('/${r}/formula', requireAuth, (req, res) => {
  const result = eval(req.body.expression); // @seed
  res.json({ result });
});
`, { kind: 'input', what: 'code-injection' });
  },
  stats(w, r, k) {
    w.add(`router.get('/${r}/stats', requireAuth, async (req, res) => {
  const [total, active] = await Promise.all([
    pool.query('SELECT count(*)::int AS n FROM ${r} WHERE owner_id = $1', [req.user.id]),
    pool.query("SELECT count(*)::int AS n FROM ${r} WHERE owner_id = $1 AND status = 'active'", [req.user.id]),
  ]);
  const ratio${k} = total.rows[0].n ? active.rows[0].n / total.rows[0].n : 0;
  res.json({ total: total.rows[0].n, active: active.rows[0].n, ratio: Number(ratio${k}.toFixed(3)) });
});
`);
  },
};

/** The usual mix: mostly correct routes, one in four with a seeded problem. */
export const MIX = ['list', 'create', 'get', 'unauthDelete', 'stats', 'sqlInjection', 'list', 'get', 'commandInjection', 'create', 'unauthUpdate', 'stats', 'pathTraversal', 'get', 'openRedirect', 'list', 'ssrf', 'create', 'htmlInjection', 'stats', 'codeInjection', 'get'];

export const ROUTE_FILE_HEADER = `import express from 'express';
import path from 'node:path';
import { exec } from 'node:child_process';
import { z } from 'zod';
import { pool } from '../lib/db.js';
import { requireAuth } from '../lib/auth.js';
import { logger } from '../lib/logger.js';

const router = express.Router();
const UPLOAD_DIR = process.env.UPLOAD_DIR || '/var/app/uploads';
`;
