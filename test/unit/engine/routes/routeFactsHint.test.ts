import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { AUTH_HELPER_WORDS, CONVENTION_PATH, PATH_CONSTANT_EXPORT, REJECTION_HINTS, ROUTE_TOKENS, routeFactsHint } from '../../../../server/src/engine/routes/js/routeFactsHint';

/** The decision from the regular expressions alone, as it was made before the literal prefilter. */
function byPatternsAlone(projectPath: string, text: string): 'routes' | 'helpers' | undefined {
  if (CONVENTION_PATH.test(projectPath) || ROUTE_TOKENS.test(text)) return 'routes';
  const identity = new RegExp(AUTH_HELPER_WORDS.join('|'), 'i');
  // A path constant counts in a module that exports something.
  return (identity.test(text) && REJECTION_HINTS.test(text)) || (/export/i.test(text) && PATH_CONSTANT_EXPORT.test(text)) ? 'helpers' : undefined;
}

/** One text per alternative of ROUTE_TOKENS and REJECTION_HINTS, and their look-alikes. */
const EXAMPLES = [
  "import express from 'express';", 'const fastify = require("fastify")();', "import { Hono } from 'hono/tiny';", "const Koa = require('koa');",
  "import Router from '@koa/router';", "const Router = require('koa-router');", "import { Controller } from '@nestjs/common';", "import { NextResponse } from 'next/server';",
  "import NextAuth from 'next-auth/next';", "import { auth } from '@auth/core';", "import { clerkMiddleware } from '@clerk/nextjs/server';", "import { json } from '@sveltejs/kit';",
  "import { redirect } from '@remix-run/node';", "const jwt = require('jsonwebtoken');", "import { jwtDecode } from 'jwt-decode';", "import * as jose from 'jose';",
  "import { createClient } from '@supabase/supabase-js';", "const admin = require('firebase-admin/app');", "const passport = require('passport-jwt');", "const { expressjwt } = require('express-jwt');",
  "fastify.get('/', handler)", 'app.post  ("/x", h)', 'router.delete(`/a`, h)', 'server.route({})', 'instance.register(plugin)', 'api.addHook("onRequest", h)',
  "'use server'", '@Controller()', 'class G extends AuthGuard("jwt") {}', 'implements CanActivate', 'canActivate(ctx) {}', 'app.useGlobalGuards(g)', '{ provide: APP_GUARD }',
  "app.setGlobalPrefix('api')", 'const isPublic = createRouteMatcher([]);',
  'if (!user) return res.status(401).end();', 'session && res.sendStatus(403)', 'throw new Unauthorized()', 'token ? next() : Forbidden()', 'if (!session) redirect("/login")',
  'user.canActivate', 'auth.protect()', 'jwt.verify(token, key)', 'await jwtVerify(token, jwks)', 'admin.auth().verifyIdToken(apiKey)', 'const user = await getUser(signature)',
  'export const API_PREFIX = "/api/v1";', 'export  const\nV2 =`/v2`', "exports.API_PREFIX = '/api';", "module.exports = {\n  API_PREFIX: '/api',\n};", "const x = {\n  API: '/api',\n};",
  // Look-alikes the patterns reject, with the literals present.
  "const a = 'nextTick'; app.listen();", 'the user got a 4010 error', "from 'expressive'", 'Authorization: x; UNAUTHORIZED',
  "export const apiPrefix = '/api';", "export const NAME = 'x';", 'export let PREFIX = "/a";', 'exported const X = "/a"',
];

describe('route facts hint: literals first, then the patterns', () => {
  it('decides every alternative exactly as the patterns alone', () => {
    for (const example of EXAMPLES) {
      for (const text of [example, `const user = getSession();\n${example}\n`, example.toUpperCase(), example.toLowerCase()]) {
        assert.equal(routeFactsHint('src/lib/x.js', text), byPatternsAlone('src/lib/x.js', text), text);
      }
    }
    assert.equal(routeFactsHint('app/api/users/route.ts', 'export const x = 1;'), 'routes');
  });

  it('decides random text made of the patterns\' pieces exactly as the patterns alone', () => {
    const pieces = fc.constantFrom(
      "'", '"', '`', ' ', '\n', '(', ')', '.', '/', 'from', 'require(', 'express', 'next', 'koa', '@koa/', 'router', '@nestjs/common', 'jose', 'passport-local', '-jwt', 'app', 'server', 'get', 'post', 'use',
      'use server', 'canActivate', 'AuthGuard', '401', '4030', 'Forbidden', 'redirect', 'verify', 'getUser', 'token', 'USER', 'api_key', 'é', 'ſession',
      'export', 'EXPORT', 'const', 'API', '=', '_V1', 'exports.', 'module.exports', ':', '\t',
    );
    fc.assert(fc.property(fc.array(pieces, { maxLength: 30 }).map((parts) => parts.join('')), (text) => {
      assert.equal(routeFactsHint('src/lib/x.js', text), byPatternsAlone('src/lib/x.js', text));
    }), { numRuns: 3000 });
  });
});
