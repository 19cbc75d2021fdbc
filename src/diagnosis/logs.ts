/**
 * The few log lines that explain a failure: exceptions, panics, "fatal", "missing", "refused", "permission
 * denied", unset environment variables, OOM warnings — de-duplicated (numbers and times ignored), redacted,
 * at most a handful, each cut to a readable length.
 */
import { redactText } from '../shared/redact.js';

const ERROR =
  /(exception|panic|fatal|error|\berr\b|missing|refused|permission denied|denied|not found|no such|not set|undefined|unset|traceback|cannot|can't|could not|failed|failure|timeout|timed out|killed|out of memory|oom|close to limit|segmentation|invalid)/i;
const MAX_LINE = 240;

export function explainingLines(lines: readonly string[], max = 5): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of lines) {
    const line = raw.trimEnd();
    if (!line.trim() || !ERROR.test(line)) continue;
    const key = line.replace(/\d+/g, '#').replace(/0x[0-9a-f]+/gi, '#');
    if (seen.has(key)) continue;
    seen.add(key);
    const clean = redactText(line);
    out.push(clean.length > MAX_LINE ? `${clean.slice(0, MAX_LINE - 1)}…` : clean);
  }
  // The last lines are the ones nearest the exit: keep those when there are too many.
  return out.slice(-max);
}
