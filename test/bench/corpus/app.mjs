// The seeded app: an Express + Postgres API with the secrets, unauthenticated routes and unchecked
// input that a prototype built in a hurry really has. Every seeded problem is recorded with its line.
import { SourceWriter } from './sourceWriter.mjs';
import { MIX, ROUTE_FILE_HEADER, TEMPLATES } from './routeTemplates.mjs';

const RESOURCES = ['orders', 'invoices', 'customers', 'products', 'projects', 'tickets', 'teams', 'reports', 'webhooks', 'coupons', 'shipments', 'reviews'];
const EXTRA = ['plans', 'payouts', 'exports', 'tags', 'notes', 'files', 'events', 'audits', 'accounts', 'sessions', 'comments', 'tasks', 'labels', 'alerts', 'imports', 'quotes', 'refunds', 'vendors', 'regions', 'metrics'];

/** A router file of about `targetLines` lines, cycling through the route mix over `resources`. */
export function routeFile(relative, targetLines, resources, offset = 0) {
  const w = new SourceWriter(relative).add(ROUTE_FILE_HEADER);
  for (let k = 0; w.lineCount < targetLines - 2; k++) {
    const resource = resources[k % resources.length] + (k >= resources.length ? `_v${Math.floor(k / resources.length)}` : '');
    TEMPLATES[MIX[(k + offset) % MIX.length]](w, resource, k);
  }
  w.add('export default router;');
  return w;
}

/** A file whose `lineWithSeed` ends in `// @seed`, seeded as a secret of the given kind. */
function secretFile(relative, code, what) {
  return new SourceWriter(relative).addMarked(code, { kind: 'secret', what });
}

export function buildApp(s) {
  const files = [];
  files.push(new SourceWriter('app/package.json').add(JSON.stringify({
    name: 'acme-shop-api', version: '0.3.0', private: true, type: 'module',
    scripts: { start: 'node server.js', dev: 'node --watch server.js' },
    dependencies: { express: '^4.19.2', pg: '^8.11.5', zod: '^3.23.8', stripe: '^15.8.0', openai: '^4.47.1', '@anthropic-ai/sdk': '^0.22.0', jsonwebtoken: '^9.0.2', pino: '^9.1.0', '@slack/web-api': '^7.0.4', '@sendgrid/mail': '^8.1.3', '@aws-sdk/client-s3': '^3.590.0' },
  }, null, 2)));

  const env = new SourceWriter('app/.env');
  env.add('NODE_ENV=production').add('PORT=8080');
  env.add(`DATABASE_URL=postgres://acme_admin:${s.dbPassword}@db.acme-prod.internal:5432/shop`, { kind: 'secret', what: 'postgres url (.env)' });
  env.add(`STRIPE_SECRET_KEY=${s.stripeLive}`, { kind: 'secret', what: 'stripe (.env)' });
  env.add(`SESSION_SECRET=${s.sessionSecret}`, { kind: 'secret', what: 'session secret (.env)' });
  env.add(`AWS_ACCESS_KEY_ID=${s.awsKeyId}`, { kind: 'secret', what: 'aws key id (.env)' });
  env.add(`AWS_SECRET_ACCESS_KEY=${s.awsSecret}`, { kind: 'secret', what: 'aws secret (.env)' });
  files.push(env);

  files.push(secretFile('app/lib/db.js', `import pg from 'pg';

export const pool = new pg.Pool({
  connectionString: 'postgres://acme_admin:${s.dbPassword}@db.acme-prod.internal:5432/shop', // @seed
  max: 10,
});`, 'postgres url'));
  files.push(secretFile('app/lib/auth.js', `import jwt from 'jsonwebtoken';

export function requireAuth(req, res, next) {
  const token = (req.headers.authorization || '').replace('Bearer ', '');
  if (!token) return res.status(401).json({ error: 'unauthorized' });
  try {
    req.user = jwt.verify(token, '${s.jwtSecret}'); // @seed
    next();
  } catch {
    res.status(401).json({ error: 'unauthorized' });
  }
}`, 'jwt signing secret'));
  files.push(secretFile('app/lib/stripe.js', `import Stripe from 'stripe';

// TODO move to env before launch
export const stripe = new Stripe('${s.stripeLive}'); // @seed`, 'stripe'));
  files.push(secretFile('app/lib/openai.js', `import OpenAI from 'openai';

const openaiApiKey = '${s.openaiProject}'; // @seed
export const openai = new OpenAI({ apiKey: openaiApiKey });`, 'openai'));
  files.push(secretFile('app/lib/claude.js', `import Anthropic from '@anthropic-ai/sdk';

export const anthropic = new Anthropic({ apiKey: '${s.anthropic}' }); // @seed`, 'anthropic'));
  files.push(secretFile('app/lib/github.js', `const GITHUB_TOKEN = '${s.githubToken}'; // @seed

export async function openIssue(title, body) {
  const response = await fetch('https://api.github.com/repos/acme/shop/issues', {
    method: 'POST',
    headers: { authorization: \`Bearer \${GITHUB_TOKEN}\`, 'content-type': 'application/json' },
    body: JSON.stringify({ title, body }),
  });
  return response.json();
}`, 'github token'));
  const slack = new SourceWriter('app/lib/slack.js');
  slack.add(`import { WebClient } from '@slack/web-api';\n`);
  slack.add(`export const slack = new WebClient('${s.slackBot}');`, { kind: 'secret', what: 'slack bot token' });
  slack.add(`export const ALERTS_WEBHOOK = '${s.slackWebhook}';`, { kind: 'secret', what: 'slack webhook' });
  files.push(slack);
  files.push(secretFile('app/lib/mail.js', `import sgMail from '@sendgrid/mail';

sgMail.setApiKey('${s.sendgrid}'); // @seed
export const sendMail = (message) => sgMail.send(message);`, 'sendgrid'));
  const aws = new SourceWriter('app/lib/storage.js');
  aws.add(`import { S3Client } from '@aws-sdk/client-s3';\n\nexport const s3 = new S3Client({\n  region: 'eu-west-1',\n  credentials: {`);
  aws.add(`    accessKeyId: '${s.awsKeyId}',`, { kind: 'secret', what: 'aws key id' });
  aws.add(`    secretAccessKey: '${s.awsSecret}',`, { kind: 'secret', what: 'aws secret' });
  aws.add('  },\n});');
  files.push(aws);
  files.push(secretFile('app/lib/shopify.js', `export const shopify = { shop: 'acme-shop.myshopify.com', accessToken: '${s.shopify}' }; // @seed`, 'shopify'));
  files.push(secretFile('app/lib/linear.js', `export const LINEAR_API_KEY = '${s.linear}'; // @seed`, 'linear'));
  files.push(secretFile('app/lib/embeddings.js', `export const HF_TOKEN = '${s.huggingface}'; // @seed`, 'huggingface'));
  files.push(secretFile('app/lib/maps.js', `export const mapsClient = { key: '${s.googleApiKey}', language: 'en' }; // @seed`, 'google api key'));
  files.push(new SourceWriter('app/lib/logger.js').add(`import pino from 'pino';\n\nexport const logger = pino({ level: process.env.LOG_LEVEL || 'info' });`));
  const deploy = new SourceWriter('app/scripts/deploy.js');
  deploy.add(`// Publishes the image and the client package.`);
  deploy.add(`export const REGISTRY = 'https://deploy:${s.deployPassword}@registry.acme-corp.io/v2/';`, { kind: 'secret', what: 'basic auth url' });
  deploy.add(`export const NPM_TOKEN = '${s.npmToken}';`, { kind: 'secret', what: 'npm token' });
  files.push(deploy);
  const signing = new SourceWriter('app/lib/signing.js');
  signing.add('// Signs outgoing webhooks.');
  signing.add(`export const WEBHOOK_SIGNING_KEY = \`${s.privateKeyPem}\`;`, { kind: 'secret', what: 'private key' });
  files.push(signing);
  const serviceAccount = new SourceWriter('app/config/firebase-service-account.json');
  serviceAccount.add(`{\n  "type": "service_account",\n  "project_id": "acme-shop-prod",\n  "private_key_id": "${s.pick('0123456789abcdef', 40)}",`);
  serviceAccount.add(`  "private_key": ${JSON.stringify(s.serviceAccountKeyPem)},`, { kind: 'secret', what: 'gcp service account key' });
  serviceAccount.add(`  "client_email": "firebase-adminsdk@acme-shop-prod.iam.gserviceaccount.com",\n  "client_id": "${s.pick('0123456789', 21)}"\n}`);
  files.push(serviceAccount);

  const server = new SourceWriter('app/server.js').add(`import express from 'express';
import { requireAuth } from './lib/auth.js';
import adminRouter from './routes/admin.js';`);
  RESOURCES.forEach((resource) => server.add(`import ${resource}Router from './routes/${resource}.js';`));
  server.add(`\nconst app = express();\napp.use(express.json({ limit: '1mb' }));\n\napp.get('/health', (_req, res) => res.json({ ok: true }));`);
  RESOURCES.forEach((resource) => server.add(`app.use('/api', ${resource}Router);`));
  server.add(`app.use('/api/admin', adminRouter);\n\nconst port = Number(process.env.PORT) || 8080;\napp.listen(port, () => console.log(\`listening on \${port}\`));`);
  files.push(server);

  RESOURCES.forEach((resource, index) => files.push(routeFile(`app/routes/${resource}.js`, 180, [resource], index * 3)));
  const routeFileWriter = routeFile('app/routes/admin.js', 5000, EXTRA, 0);
  files.push(routeFileWriter);
  return { files, routeFile: routeFileWriter };
}
