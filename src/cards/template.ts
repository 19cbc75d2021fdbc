/**
 * The card template loader: `cards/<name>.json` are Feishu card JSON 2.0 documents with `{{placeholders}}`.
 * A string that is exactly `{{name}}` is replaced by the variable's JSON value (an array variable standing
 * alone in an array is spliced in, so a template can say `"elements": ["{{intro}}", "{{buttons}}"]`); a
 * placeholder inside a longer string is interpolated as text. A missing variable throws.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { CardJson } from '../ports/feishu.js';
import { CodedError } from '../shared/errors.js';
import { fitCard } from './size.js';

export const CARDS_DIR = fileURLToPath(new URL('../../cards/', import.meta.url));

/** What every template must be: a JSON 2.0 card that can be updated in place. */
export const CardTemplateSchema = z.looseObject({
  schema: z.literal('2.0'),
  config: z.looseObject({ update_multi: z.literal(true) }),
  header: z.looseObject({}).optional(),
  body: z.looseObject({ elements: z.array(z.unknown()) }),
});

/** Strings and numbers fill text; a placeholder standing alone may take any JSON value (elements, lists). */
export type TemplateValue = unknown;
export type TemplateVars = Record<string, TemplateValue>;

const WHOLE = /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/;
const INLINE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

const cache = new Map<string, CardJson>();

/** Loads and validates one template (cached). */
export function loadTemplate(name: string, dir = CARDS_DIR): CardJson {
  const key = `${dir}\0${name}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const path = `${dir.replace(/\/$/, '')}/${name}.json`;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new CodedError('config_invalid', `card template ${name}: cannot read ${path}: ${(err as Error).message}`);
  }
  const parsed = CardTemplateSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new CodedError(
      'config_invalid',
      `card template ${name}: ${first?.path.join('.') || '(top)'}: ${first?.message ?? 'invalid'}`,
    );
  }
  cache.set(key, raw as CardJson);
  return raw as CardJson;
}

/** Every template name in the folder, for `validate` and the per-card tests. */
export function templateNames(dir = CARDS_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/** The placeholders a template uses. */
export function placeholders(template: unknown): Set<string> {
  const out = new Set<string>();
  const walk = (node: unknown): void => {
    if (typeof node === 'string') for (const m of node.matchAll(INLINE)) out.add(m[1] as string);
    else if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') Object.values(node).forEach(walk);
  };
  walk(template);
  return out;
}

/** Fills a template; throws on a missing variable. The result is cut to fit Feishu's 30 KB card limit. */
export function renderTemplate(name: string, vars: TemplateVars, dir = CARDS_DIR): CardJson {
  const template = loadTemplate(name, dir);
  const lookup = (v: string): TemplateValue => {
    const value = vars[v];
    if (value === undefined) throw new CodedError('internal', `card ${name} needs {{${v}}}`);
    return value;
  };
  const fill = (node: unknown): unknown => {
    if (typeof node === 'string') {
      const whole = WHOLE.exec(node);
      if (whole) return lookup(whole[1] as string);
      return node.replace(INLINE, (_m, v: string) => {
        const value = lookup(v);
        if (typeof value === 'object' && value !== null) {
          throw new CodedError('internal', `card ${name}: {{${v}}} is inside text and must be a string`);
        }
        return String(value);
      });
    }
    if (Array.isArray(node)) {
      return node.flatMap((item) => {
        const filled = fill(item);
        return typeof item === 'string' && WHOLE.test(item) && Array.isArray(filled) ? filled : [filled];
      });
    }
    if (node && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, fill(v)]));
    }
    return node;
  };
  return fitCard(fill(template) as CardJson);
}

/** Loads every template in the folder; one problem per invalid file (for `sre-nanobot validate`). */
export function validateCardTemplates(dir = CARDS_DIR): { count: number; problems: string[] } {
  const problems: string[] = [];
  const names = templateNames(dir);
  for (const name of names) {
    try {
      loadTemplate(name, dir);
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  return { count: names.length, problems };
}
