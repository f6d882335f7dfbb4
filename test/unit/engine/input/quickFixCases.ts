/**
 * The quick-fix fixtures (test/fixtures/input/fixes/): the finding (rule, line) and fix
 * (title prefix) applied, and the file with the exact expected result.
 */
export interface QuickFixCase {
  fixture: string;
  /** The path the fixture is analysed as. */
  file: string;
  dependencies: string[];
  rule: string;
  line: number;
  title: string;
  expected: string;
  preferred: boolean;
}

const express = (fixture: string, dependencies: string[], rule: string, line: number, title: string, expected: string, preferred = true): QuickFixCase =>
  ({ fixture, file: `src/${fixture}`, dependencies, rule, line, title, expected, preferred });

export const QUICK_FIX_CASES: QuickFixCase[] = [
  express('sql-pg-template.ts', ['express', 'pg'], 'input/sql-injection', 8, 'Pass the values as query parameters ($1, $2)', 'sql-pg-template.fixed.ts'),
  express('sql-pg-const.ts', ['express', 'pg'], 'input/sql-injection', 8, 'Pass the values as query parameters ($2)', 'sql-pg-const.fixed.ts'),
  express('sql-mysql-concat.ts', ['express', 'mysql2'], 'input/sql-injection', 8, 'Pass the values as query parameters (?)', 'sql-mysql-concat.fixed.ts'),
  express('sql-sqlite-callback.js', ['express', 'sqlite3'], 'input/sql-injection', 8, 'Pass the values as query parameters (?)', 'sql-sqlite-callback.fixed.js'),
  express('sql-better-sqlite.ts', ['express', 'better-sqlite3'], 'input/sql-injection', 8, 'Pass the values as query parameters (?)', 'sql-better-sqlite.fixed.ts'),
  { fixture: 'sql-prisma.ts', file: 'app/api/users/route.ts', dependencies: ['next', '@prisma/client'], rule: 'input/sql-injection', line: 6, title: 'Use $queryRaw with a tagged template (the values become query parameters)', expected: 'sql-prisma.fixed.ts', preferred: true },
  express('sql-knex.ts', ['express', 'knex', 'pg'], 'input/sql-injection', 8, 'Pass the values as query parameters (?)', 'sql-knex.fixed.ts'),
  express('mass-pick.ts', ['express', 'mongoose', 'zod'], 'input/mass-assignment', 10, 'Save only the expected fields (name, email)', 'mass-pick.users.fixed.ts'),
  express('mass-pick.ts', ['express', 'mongoose', 'zod'], 'input/mass-assignment', 16, 'Save only the expected fields (title, summary)', 'mass-pick.posts.fixed.ts'),
  express('mass-pick.ts', ['express', 'mongoose', 'zod'], 'input/mass-assignment', 10, 'Validate the request body with a zod schema (PostUsersBody)', 'mass-pick.zod.fixed.ts', false),
  express('mass-typed.ts', ['express', 'mongoose'], 'input/mass-assignment', 11, 'Save only the expected fields (name, email, plan)', 'mass-typed.fixed.ts'),
  express('zod-login.ts', ['express', 'mongoose', 'zod'], 'input/nosql-injection', 7, 'Validate the request body with a zod schema (PostLoginBody)', 'zod-login.fixed.ts'),
  { fixture: 'zod-route.ts', file: 'app/api/orders/route.ts', dependencies: ['next', '@prisma/client', 'zod'], rule: 'input/mass-assignment', line: 7, title: 'Validate the request body with a zod schema (PostOrdersBody)', expected: 'zod-route.fixed.ts', preferred: false },
  { fixture: 'zod-route.ts', file: 'app/api/orders/route.ts', dependencies: ['next', '@prisma/client', 'zod'], rule: 'input/mass-assignment', line: 7, title: 'Save only the expected fields (quantity, unitPrice, giftNote)', expected: 'zod-route.pick.fixed.ts', preferred: true },
  express('zod-commonjs.js', ['express', 'mongoose', 'zod'], 'input/nosql-injection', 7, 'Validate the request body with a zod schema (PostResetBody)', 'zod-commonjs.fixed.js'),
];
