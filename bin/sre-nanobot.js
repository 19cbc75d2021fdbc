#!/usr/bin/env node
// Runs the compiled build (dist/cli.js, from `npm run build`) when it exists and is not older than any file
// under src/; otherwise runs the TypeScript sources through tsx, so `npx sre-nanobot <verb>` works without a
// build (at the cost of tsx's compiler in memory). Nothing is printed here: `sre-nanobot mcp k8s|prometheus`
// speaks MCP on stdout.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('../', import.meta.url);
const compiled = new URL('dist/cli.js', root);

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(`${entry.parentPath ?? entry.path}/${entry.name}`).mtimeMs);
  }
  return newest;
}

const src = fileURLToPath(new URL('src/', root));
const fresh = existsSync(compiled) && (!existsSync(src) || statSync(compiled).mtimeMs >= newestSource(src));
if (fresh) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('src/cli.ts', root).href);
}
