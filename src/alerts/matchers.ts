/**
 * Alertmanager-style label matchers (`name="v"`, `name!="v"`, `name=~"re"`, `name!~"re"`), regexes anchored
 * as Alertmanager anchors them. A missing label matches as the empty string, as in Alertmanager.
 */
import { MATCHER } from '../config.js';

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface Matcher {
  name: string;
  op: MatchOp;
  value: string;
  test(labels: Record<string, string>): boolean;
}

export function parseMatcher(text: string): Matcher {
  const m = MATCHER.exec(text);
  if (!m) throw new Error(`not a matcher: ${text}`);
  const name = m[1] as string;
  const op = m[2] as MatchOp;
  const value = m[3] !== undefined ? m[3].replace(/\\(.)/g, '$1') : (m[4] ?? '');
  const re = op === '=~' || op === '!~' ? new RegExp(`^(?:${value})$`) : undefined;
  const test = (labels: Record<string, string>): boolean => {
    const v = labels[name] ?? '';
    switch (op) {
      case '=':
        return v === value;
      case '!=':
        return v !== value;
      case '=~':
        return (re as RegExp).test(v);
      case '!~':
        return !(re as RegExp).test(v);
      default: {
        const never: never = op;
        return never;
      }
    }
  };
  return { name, op, value, test };
}

export function matchesAll(matchers: readonly Matcher[], labels: Record<string, string>): boolean {
  for (const m of matchers) if (!m.test(labels)) return false;
  return true;
}
