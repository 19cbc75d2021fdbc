/**
 * The runbook loader: every `runbooks/<id>.yaml`, parsed as YAML and validated by RunbookSchema (and, when a
 * tool catalogue is given, against the tools' own input schemas). Returns the runbooks by id and every problem
 * at once — file, path inside the file, message — so `sre-nanobot validate` lists them all in one run. A file's
 * name is its id; a file with a problem is left out of the map.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as yaml from 'js-yaml';
import { type Runbook, RunbookSchema } from './schema.js';
import { checkToolSteps, type ToolCatalog } from './tool-args.js';

export const RUNBOOKS_DIR = fileURLToPath(new URL('../../runbooks/', import.meta.url));

export interface RunbookProblem {
  /** File name inside the folder, e.g. pod-restart.yaml (the folder itself when it cannot be read). */
  file: string;
  /** Where in the file, e.g. steps.0.args.replicas; empty for the whole file. */
  path: string;
  message: string;
}

export interface LoadedRunbooks {
  runbooks: ReadonlyMap<string, Runbook>;
  problems: RunbookProblem[];
}

export interface LoadOptions {
  /** Check tool steps against these tools (names, read-only preconditions, arguments). */
  tools?: ToolCatalog;
}

export function loadRunbooks(dir: string = RUNBOOKS_DIR, options: LoadOptions = {}): LoadedRunbooks {
  const runbooks = new Map<string, Runbook>();
  const problems: RunbookProblem[] = [];
  let files: string[];
  try {
    files = readdirSync(dir).sort();
  } catch (err) {
    return {
      runbooks,
      problems: [{ file: dir, path: '', message: `cannot read the runbooks folder: ${(err as Error).message}` }],
    };
  }
  for (const file of files) {
    if (file === 'README.md' || file.startsWith('.')) continue;
    if (!file.endsWith('.yaml')) {
      problems.push({ file, path: '', message: 'not a runbook: runbooks are <id>.yaml files' });
      continue;
    }
    const found = loadOne(join(dir, file), file, options);
    if ('problems' in found) problems.push(...found.problems);
    else runbooks.set(found.runbook.id, found.runbook);
  }
  return { runbooks, problems };
}

function loadOne(
  path: string,
  file: string,
  options: LoadOptions,
): { runbook: Runbook } | { problems: RunbookProblem[] } {
  let raw: unknown;
  try {
    raw = yaml.load(readFileSync(path, 'utf8'));
  } catch (err) {
    const e = err as Error & { mark?: { line: number; column: number }; reason?: string };
    const where = e.mark ? `line ${e.mark.line + 1}, column ${e.mark.column + 1}` : '';
    return { problems: [{ file, path: where, message: `not valid YAML: ${e.reason ?? e.message.split('\n')[0]}` }] };
  }
  const parsed = RunbookSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      problems: parsed.error.issues.map((i) => ({ file, path: i.path.join('.'), message: i.message })),
    };
  }
  const runbook = parsed.data;
  const problems: RunbookProblem[] = [];
  const stem = file.slice(0, -'.yaml'.length);
  if (runbook.id !== stem)
    problems.push({ file, path: 'id', message: `id ${runbook.id} must match the file name (${stem})` });
  if (options.tools) {
    for (const p of checkToolSteps(runbook, options.tools))
      problems.push({ file, path: p.path.join('.'), message: p.message });
  }
  return problems.length > 0 ? { problems } : { runbook };
}

/** One readable list, as `validate` prints it. */
export function formatRunbookProblems(problems: readonly RunbookProblem[]): string {
  const lines = problems.map((p) => `  - ${p.file}${p.path ? ` ${p.path}` : ''}: ${p.message}`);
  return `Runbooks have ${problems.length} problem(s):\n${lines.join('\n')}`;
}
