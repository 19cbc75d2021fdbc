// The production build: compiles src/ with tsconfig.build.json and copies every non-TypeScript file under src/
// (the sandbox page's assets, which code reads relative to import.meta.url) to the same place in the output.
// Data read from the repository root (cards/) resolves from dist/ as it does from src/: dist/ sits at the same
// depth.
//
//   node scripts/build.mjs [outDir]      (default: dist)
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');
const outDir = resolve(process.argv[2] ?? join(root, 'dist'));

const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
if (!existsSync(tsc) && existsSync(join(outDir, 'cli.js'))) {
  // An install without dev dependencies (`npm ci --omit=dev`) after a build: run what was built.
  console.error(`typescript is not installed: using the existing build in ${outDir}`);
  process.exit(0);
}
const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', outDir], {
  stdio: 'inherit',
});
if (r.status !== 0) process.exit(r.status ?? 1);

let copied = 0;
for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || entry.name.endsWith('.ts')) continue;
  const from = join(entry.parentPath ?? entry.path, entry.name);
  const to = join(outDir, relative(src, from));
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
  copied++;
}
console.error(`built ${relative(root, outDir) || outDir} (${copied} asset files copied)`);
