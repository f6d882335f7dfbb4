import * as assert from 'node:assert/strict';
import { moduleName } from '../../../server/src/engine/js/flowSyntax';

/** Deno code (Supabase Edge Functions) imports packages by npm:, jsr: and CDN addresses: the rules that name packages must hold there. */
describe('moduleName: the package a specifier names', () => {
  const CASES: [specifier: string, expected: string][] = [
    ['node:fs', 'fs'],
    ['express', 'express'],
    ['./db', './db'],
    ['@/lib/db', '@/lib/db'],
    ['npm:stripe@14', 'stripe'],
    ['npm:@supabase/supabase-js@2.39.0', '@supabase/supabase-js'],
    ['npm:postgres', 'postgres'],
    ['https://esm.sh/@supabase/supabase-js@2', '@supabase/supabase-js'],
    ['https://esm.sh/stripe@14.0.0?target=deno', 'stripe'],
    ['https://esm.sh/v135/openai@4.20.1', 'openai'],
    ['https://esm.sh/@supabase/supabase-js@2/dist/module/index.js', '@supabase/supabase-js/dist/module/index'],
    ['https://cdn.skypack.dev/zod', 'zod'],
    ['https://unpkg.com/lodash', 'lodash'],
    ['jsr:@std/http', '@std/http'],
    ['jsr:@std/http@1/server', '@std/http/server'],
    ['https://deno.land/std@0.168.0/http/server.ts', '@std/http/server'],
    ['https://deno.land/std/http/mod.ts', '@std/http'],
    ['https://example.com/lib.js', 'https://example.com/lib.js'],
    [`https://esm.sh/${'a'.repeat(400)}`, `https://esm.sh/${'a'.repeat(400)}`],
  ];
  for (const [specifier, expected] of CASES) {
    it(`${specifier.slice(0, 60)} → ${expected.slice(0, 60)}`, () => assert.equal(moduleName(specifier), expected));
  }
});
