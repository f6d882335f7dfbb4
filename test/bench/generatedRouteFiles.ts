/**
 * Large generated route files for the input analysis: an Express router and a Flask app, one
 * state-changing handler in ten with two unchecked inputs (SQL built from the body, a redirect
 * to a query parameter), the rest reading input safely. The unit tests check every flow is
 * found at this size; the benchmark times the analysis on the same files.
 */

/** Handlers in a generated file, and how many of them carry the two unchecked flows. */
export interface GeneratedRouteFile {
  text: string;
  handlers: number;
  unsafeHandlers: number;
}

/** `header`, then handlers until `lines` lines: every tenth from `unsafe`, the others from `safe`. */
function routeFile(lines: number, header: string[], unsafe: (index: number) => string[], safe: (index: number) => string[]): GeneratedRouteFile {
  const parts = [...header];
  let handlers = 0;
  for (; parts.length < lines; handlers++) parts.push(...(handlers % 10 === 0 ? unsafe(handlers) : safe(handlers)));
  return { text: parts.join('\n'), handlers, unsafeHandlers: Math.ceil(handlers / 10) };
}

export function expressRouteFile(lines: number): GeneratedRouteFile {
  return routeFile(
    lines,
    [`import { Router } from 'express';`, `import { pool } from '../db';`, `export const router = Router();`, ''],
    (index) => [
      `router.post('/items/${index}', async (req, res) => {`,
      `  const { name, price, tags } = req.body;`,
      `  if (!name) return res.status(400).json({ error: 'name' });`,
      `  const row = await pool.query(\`INSERT INTO items (name, price) VALUES ('\${name}', \${price}) RETURNING *\`);`,
      `  for (const tag of tags ?? []) await pool.query('INSERT INTO tags (item, tag) VALUES ($1, $2)', [row.rows[0].id, tag]);`,
      `  res.redirect(req.query.next ?? '/items');`,
      `});`,
      '',
    ],
    (index) => [
      `router.get('/things/${index}/:id', async (req, res) => {`,
      `  const id = Number(req.params.id);`,
      `  const { rows } = await pool.query('SELECT * FROM things WHERE id = $1 AND owner = $2', [id, req.user.id]);`,
      `  if (!rows.length) return res.status(404).json({ error: 'not found' });`,
      `  const tags = rows[0].tags.map((tag) => tag.trim()).filter(Boolean);`,
      `  res.json({ ...rows[0], tags, page: req.query.page ?? 1 });`,
      `});`,
      '',
    ],
  );
}

export function flaskRouteFile(lines: number): GeneratedRouteFile {
  return routeFile(
    lines,
    ['import sqlite3', 'from flask import Flask, abort, redirect, request', '', 'app = Flask(__name__)', 'db = sqlite3.connect("app.db")', ''],
    (index) => [
      `@app.post("/items/${index}")`,
      `def create_item_${index}():`,
      '    data = request.get_json()',
      '    name, price = data["name"], data.get("price", 0)',
      '    if not name:',
      '        abort(400)',
      '    db.execute(f"INSERT INTO items (name, price) VALUES (\'{name}\', {price})")',
      '    for tag in data.get("tags", []):',
      '        db.execute("INSERT INTO tags (item, tag) VALUES (?, ?)", (name, tag))',
      '    return redirect(request.args.get("next") or "/items")',
      '',
    ],
    (index) => [
      `@app.get("/things/${index}/<int:thing_id>")`,
      `def thing_${index}(thing_id):`,
      '    row = db.execute("SELECT * FROM things WHERE id = ? AND owner = ?", (thing_id, request.headers.get("X-User"))).fetchone()',
      '    if row is None:',
      '        abort(404)',
      '    tags = [tag.strip() for tag in row[2].split(",") if tag]',
      '    return {"thing": row, "tags": tags, "page": int(request.args.get("page", 1))}',
      '',
    ],
  );
}

/** A Python module with no request in it: the input analysis should skip it before parsing. */
export function pythonHelpersFile(functions: number): string {
  return Array.from({ length: functions }, (_, index) => `def helper_${index}(value):\n    return value * ${index}\n`).join('\n');
}
