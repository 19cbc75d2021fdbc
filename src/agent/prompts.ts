/**
 * The prompt loader (as `cards/template.ts` is for cards): `prompts/*.md` and `prompts/agents/*.md` are Markdown
 * with `{{variable}}` placeholders and `{{> _partial}}` includes (`prompts/_partial.md`). Rendering throws on a
 * missing variable or partial, so a typo fails `sre-nanobot validate` and the tests, never a live
 * investigation. Agent profiles carry a YAML front matter (see profiles.ts).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CodedError } from '../shared/errors.js';

export const PROMPTS_DIR = fileURLToPath(new URL('../../prompts/', import.meta.url));

const VAR = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const PARTIAL = /\{\{>\s*(_[A-Za-z0-9_-]+)\s*\}\}/g;
const FRONT = /^---\n([\s\S]*?)\n---\n?/;

export interface PromptFile {
  name: string;
  /** YAML front matter text ('' when none). */
  front: string;
  body: string;
}

export class PromptSet {
  private readonly cache = new Map<string, PromptFile>();

  constructor(readonly dir: string = PROMPTS_DIR) {}

  /** `agents/incident`, `_answer_format`, `conversation` … */
  file(name: string): PromptFile {
    const hit = this.cache.get(name);
    if (hit) return hit;
    const path = `${this.dir.replace(/\/$/, '')}/${name}.md`;
    if (!existsSync(path)) throw new CodedError('config_invalid', `prompt ${name}: ${path} does not exist`);
    const raw = readFileSync(path, 'utf8').replace(/\r\n/g, '\n');
    const m = FRONT.exec(raw);
    const file = { name, front: m?.[1] ?? '', body: m ? raw.slice(m[0].length) : raw };
    this.cache.set(name, file);
    return file;
  }

  /** The body with partials included (recursively, at most 5 deep) and variables filled; throws on a gap. */
  render(name: string, vars: Readonly<Record<string, string | number>>): string {
    const expand = (text: string, depth: number, from: string): string =>
      text.replace(PARTIAL, (_m, partial: string) => {
        if (depth >= 5)
          throw new CodedError('config_invalid', `prompt ${from}: partials nested too deep at ${partial}`);
        return expand(this.file(partial).body.trimEnd(), depth + 1, partial);
      });
    const text = expand(this.file(name).body, 0, name);
    return text.replace(VAR, (_m, v: string) => {
      const value = vars[v];
      if (value === undefined) throw new CodedError('config_invalid', `prompt ${name}: variable {{${v}}} is missing`);
      return String(value);
    });
  }

  /** Every prompt name in the folder (partials and agent profiles included). */
  names(): string[] {
    const list = (sub: string): string[] => {
      const d = `${this.dir.replace(/\/$/, '')}/${sub}`;
      if (!existsSync(d)) return [];
      return readdirSync(d)
        .filter((f) => f.endsWith('.md') && f !== 'README.md')
        .map((f) => `${sub}${f.slice(0, -3)}`);
    };
    return [...list(''), ...list('agents/')].sort();
  }
}

/** The variables a prompt uses, partials included. */
export function promptVariables(set: PromptSet, name: string): Set<string> {
  const out = new Set<string>();
  const walk = (n: string, depth: number) => {
    const body = set.file(n).body;
    for (const m of body.matchAll(VAR)) out.add(m[1] as string);
    if (depth < 5) for (const m of body.matchAll(PARTIAL)) walk(m[1] as string, depth + 1);
  };
  walk(name, 0);
  return out;
}
